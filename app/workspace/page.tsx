import Link from "next/link";
import { redirect } from "next/navigation";
import { AccountBar } from "@/components/account-bar";
import { ApiTokensPanel } from "@/components/api-tokens-panel";
import { CopyLink } from "@/components/copy-link";
import { InviteMemberForm } from "@/components/invite-member-form";
import { RemoveMemberButton } from "@/components/remove-member-button";
import { ResetLinkButton } from "@/components/reset-link-button";
import { WorkspaceSwitcher } from "@/components/workspace-switcher";
import { appContext } from "@/lib/server/app-context";
import { pageCaller } from "@/lib/server/auth/page-caller";

export const dynamic = "force-dynamic";

const ROLE_LABELS = { owner: "Owner", admin: "Admin", member: "Member" } as const;

/** The workspace's people: who is in it, who is invited (with their links), and a way to invite more. */
export default async function WorkspacePage() {
  const caller = await pageCaller("/workspace");
  const { accounts } = appContext();
  if (!accounts || !caller.account) redirect("/");
  const [workspaces, members, invitations, tokens] = await Promise.all([
    accounts.members.workspacesOf(caller.userId!),
    accounts.members.membersOf(caller.workspaceId),
    accounts.members.pendingInvitations(caller.workspaceId),
    accounts.tokens.list({ userId: caller.userId!, workspaceId: caller.workspaceId }),
  ]);
  const manages = caller.role === "owner" || caller.role === "admin";
  const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

  return (
    <main className="page page--narrow">
      <header className="page-header">
        <div>
          <h1>{caller.account.workspaceName}</h1>
          <p>Everyone here sees and edits the same campaigns, brand kits and creatives. Nobody else does.</p>
        </div>
        <nav aria-label="Main">
          <Link href="/">New campaign</Link>
          <Link href="/history">History</Link>
          <AccountBar account={caller.account} />
        </nav>
      </header>
      {workspaces.length > 1 && (
        <section aria-labelledby="workspaces-title">
          <h2 id="workspaces-title">Your workspaces</h2>
          <WorkspaceSwitcher current={caller.workspaceId} workspaces={workspaces} />
        </section>
      )}
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <ul className="member-list" aria-label="Members">
          {members.map((member) => (
            <li key={member.memberId} className="member-list__item">
              <span>
                <strong>{member.name}</strong> {member.email}
              </span>
              <span className="badge">{ROLE_LABELS[member.role]}</span>
              {manages && member.userId !== caller.userId && member.role !== "owner" && <RemoveMemberButton workspaceId={caller.workspaceId} memberId={member.memberId} label={member.email} />}
              {member.userId !== caller.userId && (member.role === "member" || (member.role === "admin" && caller.role === "owner")) && manages && <ResetLinkButton memberId={member.memberId} label={member.email} />}
            </li>
          ))}
        </ul>
      </section>
      {manages && (
        <section aria-labelledby="invite-title">
          <h2 id="invite-title">Invite someone</h2>
          <InviteMemberForm workspaceId={caller.workspaceId} />
          {invitations.length > 0 && (
            <>
              <h3>Waiting to be accepted</h3>
              <ul className="member-list" aria-label="Pending invitations">
                {invitations.map((invitation) => (
                  <li key={invitation.id} className="member-list__item">
                    <span>
                      {invitation.email} · {ROLE_LABELS[invitation.role]} · until {dateFormat.format(invitation.expiresAt)}
                    </span>
                    <CopyLink path={`/invite/${invitation.id}`} />
                    <RemoveMemberButton workspaceId={caller.workspaceId} invitationId={invitation.id} label={invitation.email} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your API tokens</h2>
        <p className="field-note">
          For scripts and <code>npx creatives</code>: see the <a href="/api-docs">API reference</a>.
        </p>
        <ApiTokensPanel tokens={tokens} />
      </section>
    </main>
  );
}
