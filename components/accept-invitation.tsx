"use client";

import { useAccountAction } from "@/hooks/use-account-action";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { ProblemAlert } from "./problem-alert";

/** Joins the workspace of an invitation made for the signed-in person's address. */
export function AcceptInvitation({ invitationId, workspaceName }: { invitationId: string; workspaceName: string }) {
  const { busy, problem, run } = useAccountAction();

  const accept = () =>
    run(async () => {
      const { error } = await authClient().organization.acceptInvitation({ invitationId });
      return error ? authProblem(error, "Could not accept the invitation.") : undefined;
    }, "/");

  return (
    <>
      <ProblemAlert message={problem} />
      <button type="button" className="button button--primary" onClick={accept} disabled={busy}>
        {busy ? "Joining…" : `Join ${workspaceName}`}
      </button>
    </>
  );
}
