"use client";

import { useEffect, useState } from "react";

/** Ticks on its own so a running timer never re-renders the card around it. */
export function ElapsedTimer({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, now - since) / 1000;
  return <span className="timer" aria-hidden="true">{seconds.toFixed(1)} s</span>;
}
