"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/client/auth-client";

/** Who is signed in, in which workspace, and the way out; nothing with AUTH=off. */
export function AccountBar({ account }: { account: { name: string; email: string; workspaceName: string } | null }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  if (!account) return null;

  const signOut = async () => {
    setBusy(true);
    await authClient().signOut();
    router.push("/sign-in");
    router.refresh();
  };

  return (
    <span className="account-bar">
      <Link href="/workspace" title={`Signed in as ${account.email}`}>
        {account.workspaceName}
      </Link>
      <span className="account-bar__email">{account.email}</span>
      <button type="button" className="button button--small" onClick={signOut} disabled={busy}>
        {busy ? "Signing out…" : "Sign out"}
      </button>
    </span>
  );
}
