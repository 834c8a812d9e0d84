"use client";

import { useSyncExternalStore } from "react";
import { CopyField } from "./copy-field";

const subscribeToNothing = () => () => {};

/** A link on this site, in full, with the address the person reached it by (which only the browser knows). */
export function CopyLink({ path, label = "Invitation link", testId = "invitation-link" }: { path: string; label?: string; testId?: string }) {
  const origin = useSyncExternalStore(subscribeToNothing, () => window.location.origin, () => "");
  return <CopyField value={`${origin}${path}`} label={label} testId={testId} />;
}
