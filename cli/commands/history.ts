import type { ApiClient } from "../api-client";

const STATUS = { running: "running", completed: "done", cancelled: "stopped", interrupted: "interrupted" } as const;

/** `creatives history`: the workspace's runs, newest first, one line each. */
export async function historyCommand(client: ApiClient, options: { limit?: string; json?: boolean }, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const limit = Math.min(100, Math.max(1, Number(options.limit ?? 20) || 20));
  const page = await client.jobs(limit);
  if (options.json) {
    out.write(`${JSON.stringify(page.jobs, null, 2)}\n`);
    return 0;
  }
  if (page.jobs.length === 0) {
    out.write("No campaigns yet: make one with `creatives generate --brief brief.json`.\n");
    return 0;
  }
  const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  for (const job of page.jobs) {
    const images = `${job.succeeded}/${job.total} images${job.failed ? `, ${job.failed} failed` : ""}`;
    out.write(`${job.id}  ${date.format(job.createdAt)} UTC  ${STATUS[job.status].padEnd(11)} ${images.padEnd(12)} ${job.productName}: ${job.headline} (${job.formats.join(" + ")}, ${job.provider})\n`);
  }
  if (page.nextCursor) out.write(`… older runs on the History page.\n`);
  return 0;
}
