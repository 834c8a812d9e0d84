import { streamJobEvents } from "@/lib/server/http/routes/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return streamJobEvents(request, (await context.params).id);
}
