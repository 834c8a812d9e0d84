import { servePreview } from "@/lib/server/http/routes/previews";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return servePreview(request, (await context.params).id);
}
