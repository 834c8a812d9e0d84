import "server-only";
import type { WriteCopyInput } from "@/lib/copy-writing";
import { copyWriters, defaultCopyWriter } from "../../copywriting/copy-writers";
import { writeCopy } from "../../use-cases/write-copy";
import type { z } from "zod";
import type { cancelAnswerSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import type { JobList, PublicJob } from "@/lib/job-views";
import { generateRequestSchema } from "@/lib/campaign";
import { appContext } from "../../app-context";
import { env } from "../../env";
import { authorize, authorizeJob } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { checkRunRateLimit } from "../rate-limit";
import { readJsonBody } from "../read-json-body";
import { diskFullResponse, isDiskFull, withStorageErrors } from "../storage-errors";
import { createSseResponse, type SseSink } from "../sse-response";
import { getProvider } from "../../providers/registry";
import type { JobRecord } from "../../storage/job-records";
import { creativeFormat, setFormats } from "@/lib/variants";
import { parseLastEventId, rerunRequestSchema } from "../../jobs/job-requests";
import { planNewJob } from "../../jobs/plan-new-job";
import { planRerun } from "../../jobs/plan-rerun";

type CancelAnswer = z.infer<typeof cancelAnswerSchema>;

export const MAX_BODY_BYTES = 32 * 1024;

/** A run asked for while the server is shutting down: try again in a moment (after the restart). */
function shuttingDown(): Response {
  return jsonError(503, "The server is restarting: try again in a few seconds. Running jobs continue after the restart.", undefined, { "Retry-After": "5" });
}

function sseFor(requestSignal: AbortSignal, attach: (sink: SseSink) => () => void): Response {
  return createSseResponse({ requestSignal, heartbeatMs: env().SSE_HEARTBEAT_MS, attach });
}

/** POST /api/generate-images: validate, persist a job, start it, and stream it to this client. */
export async function startJobFromRequest(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const { workspaceId } = authorized.caller;
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  if (typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) {
    return jsonError(400, "The request body must be a JSON object with the campaign fields.");
  }
  const parsed = generateRequestSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The campaign is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const limited = await checkRunRateLimit(request, authorized.caller);
  if (limited) return limited;
  const { jobs, uploadsIn } = appContext();
  if (!jobs.accepting()) return shuttingDown();
  const writeVariantCopy = (input: WriteCopyInput) => writeCopy({ writers: copyWriters(), defaultWriter: defaultCopyWriter(), timeoutMs: env().COPY_TIMEOUT_MS, signal: request.signal }, input);
  const planned = await planNewJob({ ...uploadsIn(workspaceId), workspaceId, getProvider, defaultProvider: env().IMAGE_PROVIDER, now: Date.now, writeCopy: writeVariantCopy }, parsed.data);
  if (!planned.ok) return jsonError(planned.status, planned.message, planned.path ? [{ path: planned.path, message: planned.message }] : undefined);
  const { job, plan, assets } = planned;
  const jobId = job.id;

  // Saved before the stream opens, so a full disk is a 507 the form can show, not a broken stream.
  try {
    await jobs.create(job);
  } catch (error) {
    if (isDiskFull(error)) return diskFullResponse();
    throw error;
  }
  let viewer: SseSink | undefined;
  const response = sseFor(request.signal, (sink) => {
    viewer = sink;
    return () => jobs.detachViewer(jobId, sink);
  });
  // The stream's start ran at once, so its sink exists; what the run sends meanwhile waits in the stream.
  await jobs.start(plan, assets, viewer);
  if (request.signal.aborted && viewer) jobs.detachViewer(jobId, viewer);
  return response;
}

/** GET /api/jobs/{id}/events: replay after Last-Event-ID, then follow live. */
export async function streamJobEvents(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const { jobId } = owned;
  const afterId = parseLastEventId(request);
  if (afterId === "invalid") return jsonError(400, "Last-Event-ID must be a whole number.");
  const { jobs } = appContext();
  return sseFor(request.signal, (sink) => {
    let unsubscribe: (() => void) | undefined;
    let gone = false;
    jobs.subscribe(jobId, afterId, sink).then(
      (subscription) => {
        if (subscription === "not-found") return sink.close();
        if (gone) subscription.unsubscribe();
        else unsubscribe = subscription.unsubscribe;
      },
      (error: unknown) => {
        console.error(`[jobs] could not replay job ${jobId}:`, error instanceof Error ? error.message : error);
        sink.close();
      },
    );
    return () => {
      gone = true;
      unsubscribe?.();
    };
  });
}

/** POST /api/jobs/{id}/cancel */
export async function cancelJob(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  if (await appContext().jobs.cancel(owned.jobId)) return Response.json({ cancelled: true } satisfies CancelAnswer);
  return Response.json({ cancelled: false, reason: "The job is not running." } satisfies CancelAnswer);
}

/** DELETE /api/jobs/{id} */
export async function deleteJob(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  return withStorageErrors(async () => {
    const deleted = await appContext().jobs.delete(owned.jobId);
    return deleted ? new Response(null, { status: 204 }) : jsonError(404, "No job with that id.");
  });
}

/** GET /api/jobs/{id} */
export async function jobDetails(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const job = await appContext().jobs.getJob(owned.jobId);
  if (!job) return jsonError(404, "No job with that id.");
  return Response.json(toPublicJob(job), { headers: { "Cache-Control": "no-store" } });
}

/** POST /api/jobs/{id}/images: resume, retry, regenerate or more like this, streamed like a new run. */
export async function rerunJob(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = rerunRequestSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The request is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const limited = await checkRunRateLimit(request, owned.caller);
  if (limited) return limited;
  const { jobs, repo, store } = appContext();
  if (!jobs.accepting()) return shuttingDown();

  // One writer per job: planned from the job as the change before it left it, and started
  // (the stream's attach runs at once) before the next change to the job may look at it.
  return jobs.exclusive(owned.jobId, async () => {
    const planned = await planRerun({ repo, store, isRunning: (jobId) => jobs.isRunning(jobId), getProvider }, owned.jobId, parsed.data);
    if (!planned.ok) return jsonError(planned.status, planned.message, planned.path ? [{ path: planned.path, message: planned.message }] : undefined);
    const { job, stored, plan, targets, assets } = planned;
    if (job.provider !== stored.provider || job.model !== stored.model) await repo.updateProvider(job.id, job.provider, job.model);
    let viewer: SseSink | undefined;
    const response = sseFor(request.signal, (sink) => {
      viewer = sink;
      return () => jobs.detachViewer(job.id, sink);
    });
    // The stream's start ran at once, so its sink exists; what the run sends meanwhile waits in the stream.
    await jobs.rerun(job, plan, targets, assets, viewer);
    if (request.signal.aborted && viewer) jobs.detachViewer(job.id, viewer);
    return response;
  });
}

/** GET /api/jobs: history, newest first, paginated by an opaque cursor. */
export async function listJobs(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const url = new URL(request.url);
  const limitRaw = url.searchParams.get("limit");
  // Decimal digits only: Number() would also take "0x10", "1e1" and " 5 ".
  const limit = limitRaw === null ? 20 : /^\d{1,3}$/.test(limitRaw) ? Number(limitRaw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return jsonError(400, "limit must be a whole number from 1 to 100.");
  const cursor = decodeCursor(url.searchParams.get("cursor"));
  if (cursor === "invalid") return jsonError(400, "cursor is not valid: use the nextCursor of the previous page.");
  const page = await appContext().jobs.listJobs({ workspaceId: authorized.caller.workspaceId, limit, before: cursor });
  const body: JobList = {
    jobs: page.jobs.map(({ thumbIds, ...job }) => ({ ...job, thumbUrls: thumbIds.map((thumbId) => apiPaths.image(thumbId)) })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}

export function encodeCursor(cursor: { createdAt: number; id: string }): string {
  return Buffer.from(`${cursor.createdAt}:${cursor.id}`).toString("base64url");
}

export function decodeCursor(raw: string | null): { createdAt: number; id: string } | undefined | "invalid" {
  if (!raw) return undefined;
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const match = /^(\d{1,15}):([A-Za-z0-9_-]{16})$/.exec(text);
  return match ? { createdAt: Number(match[1]), id: match[2]! } : "invalid";
}

export function toPublicJob(job: JobRecord): PublicJob {
  return {
    id: job.id,
    status: job.status,
    brief: job.brief,
    design: job.design,
    preset: job.preset,
    provider: job.provider,
    model: job.model,
    format: job.format,
    formats: setFormats(job.format, job.images.map((image) => image.variant)),
    width: job.width,
    height: job.height,
    seed: job.seed,
    negativePrompt: job.negativePrompt,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    lastEventId: job.lastEventId,
    images: job.images.map((image) => ({
      index: image.index,
      status: image.status,
      prompt: image.prompt,
      seed: image.seed,
      url: image.compositeId ? apiPaths.image(image.compositeId) : null,
      rawUrl: image.fileId ? apiPaths.image(image.fileId) : null,
      format: creativeFormat(image.variant, job.format),
      model: image.model ?? job.model,
      layout: image.layout ?? job.design.layout,
      route: image.route,
      sourceWidth: image.sourceWidth,
      sourceHeight: image.sourceHeight,
      thumbUrl: image.thumbId ? apiPaths.image(image.thumbId) : null,
      mimeType: image.mimeType,
      bytes: image.bytes,
      width: image.width,
      height: image.height,
      elapsedMs: image.elapsedMs,
      error: image.errorCode ? { code: image.errorCode, message: image.errorMessage } : null,
      variant: image.variant,
    })),
  };
}
