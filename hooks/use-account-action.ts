"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * One account action of a form (sign in, sign up, join): busy while it runs, its problem shown
 * when it returns one, and on success the page it leads to, freshly rendered for the new session.
 */
export function useAccountAction() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  /** `action` resolves to a problem to show, or undefined when it worked. */
  const run = async (action: () => Promise<string | undefined>, destination: string) => {
    setBusy(true);
    setProblem(undefined);
    const found = await action();
    if (found) {
      setProblem(found);
      setBusy(false);
      return;
    }
    router.push(destination);
    router.refresh();
  };

  return { busy, problem, run };
}
