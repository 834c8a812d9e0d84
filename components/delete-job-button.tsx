"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteJob } from "@/lib/client/api";

/** Deletes a job with its images after a confirmation; a running job is stopped first by the server. */
export function DeleteJobButton({ jobId, label }: { jobId: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const remove = async (event: React.MouseEvent<HTMLButtonElement>) => {
    if (!window.confirm(`Delete "${label}" and all its images? This cannot be undone.`)) return;
    const row = event.currentTarget.closest("li");
    setBusy(true);
    setProblem(undefined);
    try {
      const response = await deleteJob(jobId);
      if (!response.ok && response.status !== 404) throw new Error(`the server answered ${response.status}`);
      // Focus stays in the list: on the next campaign, else the previous one, else the heading.
      const neighbour = (row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector<HTMLElement>("[data-testid='history-title']");
      if (row) row.hidden = true;
      (neighbour ?? document.getElementById("history-title"))?.focus();
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
