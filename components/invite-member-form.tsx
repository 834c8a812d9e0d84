"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { CopyLink } from "./copy-link";
import { ProblemAlert } from "./problem-alert";

/** Makes a one-time invitation link for an address; no mail is sent, the link is shown to pass on. */
export function InviteMemberForm({ workspaceId }: { workspaceId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [made, setMade] = useState<{ email: string; path: string }>();

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get("email")).trim();
    const role = form.get("role") === "admin" ? "admin" : "member";
    setBusy(true);
    setProblem(undefined);
    setMade(undefined);
    const { data, error } = await authClient().organization.inviteMember({ email, role, organizationId: workspaceId });
    setBusy(false);
    if (error || !data) {
      setProblem(authProblem(error, "Could not make the invitation."));
      return;
    }
    setMade({ email, path: `/invite/${data.id}` });
    formElement.reset();
    router.refresh();
  };

  return (
    <form className="auth-form" onSubmit={submit} aria-label="Invite a member">
      <div className="field-row">
        <div className="field">
          <label htmlFor="invite-email">Their email</label>
          <input id="invite-email" name="email" type="email" required />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue="member">
            <option value="member">Member: makes and edits campaigns</option>
            <option value="admin">Admin: also invites and removes members</option>
          </select>
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? "Making the link…" : "Make an invitation link"}
      </button>
      <ProblemAlert message={problem} />
      {made && (
        <div role="status" className="invite-made">
          <p>
            Send this link to {made.email}. It works once, for that address, for 7 days:
          </p>
          <CopyLink path={made.path} />
        </div>
      )}
    </form>
  );
}
