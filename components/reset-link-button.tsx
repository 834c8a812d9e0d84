"use client";

import { useState } from "react";
import { createPasswordReset, describeFailure } from "@/lib/client/api";
import { CopyLink } from "./copy-link";
import { ProblemAlert } from "./problem-alert";

/** Makes a one-time password-reset link for a member, shown to pass on (there is no mail server). */
export function ResetLinkButton({ memberId, label }: { memberId: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [path, setPath] = useState<string>();

  const make = async () => {
    setBusy(true);
    setProblem(undefined);
    const response = await createPasswordReset(memberId).catch(() => null);
    setBusy(false);
    if (!response) setProblem("Could not reach the server.");
    else if (!response.ok) setProblem(await describeFailure(response));
    else setPath(((await response.json()) as { path: string }).path);
  };

  return (
    <>
      <button type="button" className="button button--small" onClick={make} disabled={busy}>
        {busy ? "Making the link…" : "Password reset link"}
        <span className="visually-hidden"> for {label}</span>
      </button>
      <ProblemAlert message={problem} />
      {path && (
        <span role="status" className="invite-made reset-made">
          Send this to {label}: it works once, for a day, and signs them out everywhere and ends their API tokens.
          <CopyLink path={path} label={`Password reset link for ${label}`} testId="reset-link" />
        </span>
      )}
    </>
  );
}
