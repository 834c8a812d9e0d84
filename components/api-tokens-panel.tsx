"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createApiToken, describeFailure, revokeApiToken } from "@/lib/client/api";
import { CopyField } from "./copy-field";
import { ProblemAlert } from "./problem-alert";

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The person's API tokens in this workspace: make one (shown once), see when each was last used, revoke. */
export function ApiTokensPanel({ tokens }: { tokens: ApiTokenRow[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [made, setMade] = useState<{ name: string; token: string }>();

  const create = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name"));
    setBusy(true);
    setProblem(undefined);
    setMade(undefined);
    const response = await createApiToken(name).catch(() => null);
    setBusy(false);
    if (!response?.ok) {
      setProblem(response ? await describeFailure(response) : "Could not reach the server.");
      return;
    }
    const created = (await response.json()) as { name: string; token: string };
    setMade({ name: created.name, token: created.token });
    formElement.reset();
    router.refresh();
  };

  const revoke = async (token: ApiTokenRow) => {
    if (!window.confirm(`Revoke "${token.name}"? Scripts using it stop working at once.`)) return;
    const response = await revokeApiToken(token.id).catch(() => null);
    if (!response?.ok && response?.status !== 404) setProblem("Could not revoke the token.");
    router.refresh();
  };

  return (
    <>
      <form className="auth-form" onSubmit={create} aria-label="Make an API token">
        <div className="field">
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" name="name" required maxLength={60} placeholder="Nightly batch on the build server" />
          <span className="field-note">Scripts and the command-line client send it as Authorization: Bearer. It acts as you, in this workspace.</span>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Making the token…" : "Make a token"}
        </button>
        <ProblemAlert message={problem} />
        {made && (
          <div role="status" className="invite-made">
            <p>Copy the token for “{made.name}” now: it is shown this once, and only a hash of it is kept.</p>
            <CopyField value={made.token} label="New API token" testId="new-api-token" />
          </div>
        )}
      </form>
      {tokens.length > 0 && (
        <ul className="member-list" aria-label="Your API tokens">
          {tokens.map((token) => (
            <li key={token.id} className="member-list__item">
              <span>
                <strong>{token.name}</strong> <code>{token.prefix}…</code>
              </span>
              <span className="field-note">
                made {dateFormat.format(token.createdAt)} UTC · {token.lastUsedAt ? `last used ${dateFormat.format(token.lastUsedAt)} UTC` : "never used"}
              </span>
              <button type="button" className="button button--small button--danger" onClick={() => revoke(token)}>
                Revoke<span className="visually-hidden"> {token.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
