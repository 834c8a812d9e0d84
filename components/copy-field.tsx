"use client";

import { useState } from "react";

/** A value shown in full in a read-only field (selected on focus), with a button that copies it. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <span className="copy-field">
      <input readOnly value={value} aria-label={label} data-testid={testId} onFocus={(event) => event.currentTarget.select()} />
      <button type="button" className="button button--small" onClick={copy}>
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}
