import { serveImage } from "@/lib/server/http/routes/downloads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return serveImage(request, (await context.params).id);
}

export async function HEAD(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return serveImage(request, (await context.params).id);
}
