import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AcceptInvitation } from "@/components/accept-invitation";
import { SignUpForm } from "@/components/sign-up-form";
import { appContext } from "@/lib/server/app-context";

export const dynamic = "force-dynamic";

/**
 * An invitation link: who invited whom to which workspace. The invited address creates its
 * account here (or signs in) and joins; a used, cancelled or expired link says so.
 */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { accounts } = appContext();
  if (!accounts) redirect("/");
  const { id } = await params;
  const invitation = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await accounts.members.invitation(id) : undefined;
  const session = await accounts.auth.api.getSession({ headers: await headers() });
  const usable = invitation?.usable;
  const invitedAccountExists = usable && !session ? await accounts.members.hasUserWithEmail(invitation.email) : false;

  return (
    <main className="page page--narrow">
      <header className="page-header">
        <div>
          <h1>{usable ? `Join ${invitation.workspaceName}` : "Invitation"}</h1>
          {usable && (
            <p>{`${invitation.inviterName} invited ${invitation.email} to work on the campaigns of ${invitation.workspaceName}, as ${invitation.role === "admin" ? "an admin" : "a member"}.`}</p>
          )}
        </div>
      </header>
      {!usable ? (
        <p className="problem" role="alert">
          {!invitation
            ? "This invitation link is not valid. Ask the workspace owner for a new one."
            : invitation.status === "accepted"
              ? "This invitation has been used already. Sign in to reach the workspace."
              : invitation.status === "pending"
                ? "This invitation has expired. Ask the workspace owner for a new one."
                : "This invitation was cancelled. Ask the workspace owner for a new one."}{" "}
          <Link href="/sign-in">Sign in</Link>
        </p>
      ) : session ? (
        session.user.email.toLowerCase() === invitation.email.toLowerCase() ? (
          <AcceptInvitation invitationId={invitation.id} workspaceName={invitation.workspaceName} />
        ) : (
          <p className="problem" role="alert">
            You are signed in as {session.user.email}, but this invitation is for {invitation.email}. Sign out, then open the link again.
          </p>
        )
      ) : invitedAccountExists ? (
        <p className="empty-hint">
          {invitation.email} has an account here already. <Link href={`/sign-in?next=${encodeURIComponent(`/invite/${invitation.id}`)}`}>Sign in to join</Link>.
        </p>
      ) : (
        <SignUpForm invitation={{ id: invitation.id, email: invitation.email }} />
      )}
    </main>
  );
}
