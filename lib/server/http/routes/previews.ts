import "server-only";
import { appContext } from "../../app-context";
import { authorize } from "../authorize";
import { jsonError } from "../json-errors";

/**
 * GET /api/previews/{id}: a transient preview too large to inline; gone after a few minutes.
 * Signed-in callers only; the id itself is 128 random bits, known only to the run's viewers.
 */
export async function servePreview(request: Request, id: string): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const bytes = await appContext().jobs.previews.get(id);
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
