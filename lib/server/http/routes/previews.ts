import "server-only";
import { appContext } from "../../app-context";
import { authorize } from "../authorize";
import { jsonError } from "../json-errors";

/**
 * GET /api/previews/{id}: a transient preview too large to inline; gone after a few minutes.
 * Only for the workspace of the job it belongs to (its id is 128 random bits besides).
 */
export async function servePreview(request: Request, id: string): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const { jobs, repo } = appContext();
  const kept = await jobs.previews.get(id);
  // Another workspace's preview answers as a gone one.
  const bytes = kept && (await repo.workspaceOfJob(kept.jobId)) === authorized.caller.workspaceId ? kept.bytes : null;
  if (!bytes) return jsonError(404, "No preview with that id (previews last a few minutes; the finished image replaces them).");
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, max-age=300, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
