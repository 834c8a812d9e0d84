"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient, authProblem } from "@/lib/client/auth-client";

/** Takes someone out of the workspace, or cancels an invitation; either takes effect at once. */
export function RemoveMemberButton({ workspaceId, memberId, invitationId, label }: { workspaceId: string; memberId?: string; invitationId?: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const remove = async () => {
    if (!window.confirm(memberId ? `Remove ${label} from this workspace? They lose access at once.` : `Cancel the invitation for ${label}? Its link stops working.`)) return;
    setBusy(true);
    const client = authClient().organization;
    const { error } = memberId ? await client.removeMember({ memberIdOrEmail: memberId, organizationId: workspaceId }) : await client.cancelInvitation({ invitationId: invitationId! });
    setBusy(false);
    if (error) setProblem(authProblem(error, "Could not do that."));
    else router.refresh();
  };

  return (
    <>
      <button type="button" className="button button--small button--danger" onClick={remove} disabled={busy}>
        {memberId ? "Remove" : "Cancel invitation"}
        <span className="visually-hidden"> {label}</span>
      </button>
      {problem && <span role="alert" className="problem problem--inline">{problem}</span>}
    </>
  );
}
