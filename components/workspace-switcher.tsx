"use client";

import { useAccountAction } from "@/hooks/use-account-action";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { ProblemAlert } from "./problem-alert";

/** The person's workspaces, and a way into each: everything they see and make follows the one they are in. */
export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: { workspaceId: string; name: string; role: string }[] }) {
  const { busy, problem, run } = useAccountAction();
  const switchTo = (workspaceId: string) =>
    run(async () => {
      const { error } = await authClient().organization.setActive({ organizationId: workspaceId });
      return error ? authProblem(error, "Could not switch workspace.") : undefined;
    }, "/workspace");

  return (
    <>
      <ProblemAlert message={problem} />
      <ul className="member-list" aria-label="Your workspaces">
        {workspaces.map((workspace) => (
          <li key={workspace.workspaceId} className="member-list__item">
            <span>
              <strong>{workspace.name}</strong> <span className="field-note">as {workspace.role}</span>
            </span>
            {workspace.workspaceId === current ? (
              <span className="badge">You are here</span>
            ) : (
              <button type="button" className="button button--small" onClick={() => switchTo(workspace.workspaceId)} disabled={busy}>
                {`Switch to ${workspace.name}`}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
