import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/sign-up-form";
import { appContext } from "@/lib/server/app-context";
import { env } from "@/lib/server/env";

export const dynamic = "force-dynamic";

/** The owner's account on a new server; later, with SIGN_UP=open, anyone's (in a workspace of their own). */
export default async function SignUpPage() {
  const { accounts } = appContext();
  if (!accounts) redirect("/");
  const first = !(await accounts.members.hasAnyUser());
  const open = env().SIGN_UP === "open";
  return (
    <main className="page page--narrow">
      <header className="page-header">
        <div>
          <h1>{first ? "Create the owner account" : "Create an account"}</h1>
          <p>
            {first
              ? "This server has no accounts yet. The first one owns its workspace, with every campaign made so far, and invites the others."
              : open
                ? "Your account comes with a workspace of its own."
                : "Accounts here are by invitation."}
          </p>
        </div>
      </header>
      {first || open ? (
        <SignUpForm />
      ) : (
        <p className="empty-hint">
          Ask a workspace owner for an invitation link and open it to create your account. Already have one? <Link href="/sign-in">Sign in</Link>.
        </p>
      )}
      {!first && open && (
        <p className="field-note">
          Already have an account? <Link href="/sign-in">Sign in</Link>.
        </p>
      )}
    </main>
  );
}
