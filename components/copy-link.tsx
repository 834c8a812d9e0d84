"use client";

import { useState, useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/** A link on this site, shown in full (with the address the person is using), selectable, and copied by a button. */
export function CopyLink({ path }: { path: string }) {
  // The server cannot know which address the person reached it by; the browser does.
  const origin = useSyncExternalStore(subscribeToNothing, () => window.location.origin, () => "");
  const link = `${origin}${path}`;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <span className="copy-link">
      <input readOnly value={link} aria-label="Invitation link" data-testid="invitation-link" onFocus={(event) => event.currentTarget.select()} />
      <button type="button" className="button button--small" onClick={copy}>
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}
