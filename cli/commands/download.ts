import path from "node:path";
import { apiPaths } from "../../lib/api-paths";
import { CliError, type ApiClient } from "../api-client";
import { followRun } from "../follow-run";
import { RunProgress } from "../run-progress";
import { saveCreatives } from "../save-creatives";

/** `creatives download JOB`: the job's finished ads and creatives.json; a run still going is followed to its end first. */
export async function downloadCommand(client: ApiClient, jobId: string | undefined, options: { out?: string }, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  if (!jobId || !/^[A-Za-z0-9_-]{16}$/.test(jobId)) throw new CliError("Name the run to download: `creatives download JOB_ID` (ids are in `creatives history`).");
  let job = await client.job(jobId);
  if (job.status === "running") {
    const progress = new RunProgress(out);
    progress.line(`Run ${jobId} is still going: following it to its end…`);
    const response = await client.request(apiPaths.jobEvents(jobId), { headers: { accept: "text/event-stream", "last-event-id": String(job.lastEventId) } });
    await followRun(client, response, progress, { jobId, afterEventId: job.lastEventId });
    job = await client.job(jobId);
  }
  const saved = await saveCreatives(client, job, options.out ?? `creatives-${jobId}`);
  out.write(`Saved ${saved.files.length - 1} ad(s) and creatives.json to ${path.resolve(saved.dir)}\n`);
  return saved.failed.length === 0 ? 0 : 2;
}
