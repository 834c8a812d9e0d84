import { jsonError } from "@/lib/server/http/json-errors";
import { getImageStore } from "@/lib/server/generation/generation-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const image = await getImageStore().open(id);
  if (!image) return jsonError(404, "No image with that id.");
  return new Response(image.stream, {
    headers: {
      "Content-Type": image.mimeType,
      "Content-Length": String(image.size),
      // Ids are random and content never changes, so browsers may keep it forever.
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
