import "server-only";
import type { z } from "zod";
import type { cancelAnswerSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import type { JobList, PublicJob } from "@/lib/job-views";
import { generateRequestSchema } from "@/lib/campaign";
import { creativeFormat, setFormats } from "@/lib/variants";
import { appContext } from "../../app-context";
import { env } from "../../env";
import type { ViewerSink } from "../../jobs/viewer-sink";
import { parseLastEventId, rerunRequestSchema } from "../../jobs/job-requests";
import type { JobRecord } from "../../storage/job-records";
import { AppError } from "../../use-cases/app-error";
import { cancelJob as stopJob } from "../../use-cases/cancel-job";
import { deleteJob as removeJob } from "../../use-cases/delete-job";
import { findJob } from "../../use-cases/find-job";
import { listJobs as listJobPage } from "../../use-cases/list-jobs";
import { rerunJob as rerunJobUseCase } from "../../use-cases/rerun-job";
import { startJob } from "../../use-cases/start-job";
import { callerOf, jobCallerOf } from "../authorize";
import { answer } from "../error-response";
import { countRunStart } from "../rate-limit";
import { readParsedBody } from "../read-json-body";
import { createSseResponse } from "../sse-response";
import { decodeCursor, encodeCursor } from "../history-cursor";

type CancelAnswer = z.infer<typeof cancelAnswerSchema>;

export const MAX_BODY_BYTES = 32 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

/** An SSE answer to this request, with the configured heartbeat; `attach` gets its sink. */
function sseFor(request: Request, attach: (sink: ViewerSink) => () => void): Response {
  return createSseResponse({ requestSignal: request.signal, heartbeatMs: env().SSE_HEARTBEAT_MS, attach });
}

/**
 * The stream of a run this request starts. The use case opens it once the job is saved and the
 * run may start (so a refusal is a JSON error, not a broken stream); what the run sends before
 * the client reads waits in it.
 */
function streamedRun(request: Request) {
  let response: Response | undefined;
  let followed: { jobId: string; viewer: ViewerSink } | undefined;
  return {
    openViewer: (jobId: string): ViewerSink => {
      response = sseFor(request, (sink) => {
        followed = { jobId, viewer: sink };
        return () => appContext().jobs.detachViewer(jobId, sink);
      });
      // The stream's start ran at once, so its sink exists.
      return followed!.viewer;
    },
    /** The stream; a client that left while the run was starting follows nothing. */
    response: (): Response => {
      if (request.signal.aborted && followed) appContext().jobs.detachViewer(followed.jobId, followed.viewer);
      return response!;
    },
  };
}

/** POST /api/generate-images: validate, persist a job, start it, and stream it to this client. */
export function startJobFromRequest(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const input = await readParsedBody(request, MAX_BODY_BYTES, generateRequestSchema, "The campaign is not valid: fix the fields listed in issues.", { notAnObject: "The request body must be a JSON object with the campaign fields." });
    await countRunStart(request, caller);
    const stream = streamedRun(request);
    await startJob(appContext(), caller, input, { signal: request.signal, openViewer: stream.openViewer });
    return stream.response();
  });
}

/** POST /api/jobs/{id}/images: resume, retry, regenerate, more like this or another format, streamed like a new run. */
export function rerunJob(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const input = await readParsedBody(request, MAX_BODY_BYTES, rerunRequestSchema, "The request is not valid: fix the fields listed in issues.");
    await countRunStart(request, caller);
    const stream = streamedRun(request);
    await rerunJobUseCase(appContext(), caller, jobId, input, { openViewer: stream.openViewer });
    return stream.response();
  });
}

/** GET /api/jobs/{id}/events: replay after Last-Event-ID, then follow live. */
export function streamJobEvents(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { jobId } = await jobCallerOf(request, rawId);
    const afterId = parseLastEventId(request);
    if (afterId === "invalid") throw new AppError("invalid", "Last-Event-ID must be a whole number.");
    const { jobs } = appContext();
    return sseFor(request, (sink) => {
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
  });
}

/** POST /api/jobs/{id}/cancel */
export function cancelJob(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const stopped = await stopJob(appContext(), caller, jobId);
    return Response.json((stopped ? { cancelled: true } : { cancelled: false, reason: "The job is not running." }) satisfies CancelAnswer);
  });
}

/** DELETE /api/jobs/{id} */
export function deleteJob(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    await removeJob(appContext(), caller, jobId);
    return new Response(null, { status: 204 });
  });
}

/** GET /api/jobs/{id} */
export function jobDetails(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    return Response.json(toPublicJob(await findJob(appContext(), caller, jobId)), { headers: NO_STORE });
  });
}

/** GET /api/jobs: history, newest first, paginated by an opaque cursor. */
export function listJobs(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const url = new URL(request.url);
    const limitRaw = url.searchParams.get("limit");
    // Decimal digits only: Number() would also take "0x10", "1e1" and " 5 ".
    const limit = limitRaw === null ? 20 : /^\d{1,3}$/.test(limitRaw) ? Number(limitRaw) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new AppError("invalid", "limit must be a whole number from 1 to 100.");
    const cursor = decodeCursor(url.searchParams.get("cursor"));
    if (cursor === "invalid") throw new AppError("invalid", "cursor is not valid: use the nextCursor of the previous page.");
    const page = await listJobPage(appContext(), caller, { limit, ...(cursor ? { before: cursor } : {}) });
    const body: JobList = {
      jobs: page.jobs.map(({ thumbIds, ...job }) => ({ ...job, thumbUrls: thumbIds.map((thumbId) => apiPaths.image(thumbId)) })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
    return Response.json(body, { headers: NO_STORE });
  });
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
      warnings: image.warnings,
    })),
  };
}
