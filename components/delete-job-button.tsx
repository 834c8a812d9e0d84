"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Deletes a job with its images after a confirmation; a running job is stopped first by the server. */
export function DeleteJobButton({ jobId, label }: { jobId: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const remove = async () => {
    if (!window.confirm(`Delete "${label}" and all its images? This cannot be undone.`)) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const response = await fetch(`/api/jobs/${jobId}`, { method: "DELETE" });
      if (!response.ok && response.status !== 404) throw new Error(`the server answered ${response.status}`);
      router.refresh();
    } catch (error) {
      setProblem(`Could not delete: ${error instanceof Error ? error.message : "network error"}`);
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--small button--danger" onClick={remove} disabled={busy}>
        {busy ? "Deleting…" : "Delete"}
        <span className="visually-hidden"> {label}</span>
      </button>
      {problem && <span role="alert" className="problem problem--inline">{problem}</span>}
    </>
  );
}
