"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient, authProblem } from "@/lib/client/auth-client";

/** Joins the workspace of an invitation made for the signed-in person's address. */
export function AcceptInvitation({ invitationId, workspaceName }: { invitationId: string; workspaceName: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const accept = async () => {
    setBusy(true);
    setProblem(undefined);
    const { error } = await authClient().organization.acceptInvitation({ invitationId });
    if (error) {
      setProblem(authProblem(error, "Could not accept the invitation."));
      setBusy(false);
      return;
    }
    router.push("/");
    router.refresh();
  };

  return (
    <>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <button type="button" className="button button--primary" onClick={accept} disabled={busy}>
        {busy ? "Joining…" : `Join ${workspaceName}`}
      </button>
    </>
  );
}
