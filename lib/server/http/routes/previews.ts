import "server-only";
import { appContext } from "../../app-context";
import { AppError } from "../../use-cases/app-error";
import { callerOf } from "../authorize";
import { answer } from "../error-response";

/**
 * GET /api/previews/{id}: a transient preview too large to inline; gone after a few minutes.
 * Only for the workspace of the job it belongs to (its id is 128 random bits besides).
 */
export function servePreview(request: Request, id: string): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const { jobs, repo } = appContext();
    const kept = await jobs.previews.get(id);
    // Another workspace's preview answers as a gone one.
    const bytes = kept && (await repo.workspaceOfJob(kept.jobId)) === caller.workspaceId ? kept.bytes : null;
    if (!bytes) throw new AppError("not-found", "No preview with that id (previews last a few minutes; the finished image replaces them).");
    return new Response(new Uint8Array(bytes), {
      headers: {
        "Content-Type": "image/webp",
        "Content-Length": String(bytes.length),
        "Cache-Control": "private, max-age=300, immutable",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
