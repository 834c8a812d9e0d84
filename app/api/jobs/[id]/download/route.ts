import { downloadJobArchive } from "@/lib/server/http/routes/downloads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return downloadJobArchive(request, (await context.params).id);
}
