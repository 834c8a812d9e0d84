import "server-only";
import { appContext } from "../../app-context";
import { jsonError } from "../json-errors";

/** GET /api/previews/{id}: a transient preview too large to inline; gone after a few minutes. */
export async function servePreview(id: string): Promise<Response> {
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
