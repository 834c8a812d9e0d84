import { exportAllFormats } from "@/lib/server/http/routes/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return exportAllFormats(request, id, index);
}

export async function HEAD(request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return exportAllFormats(request, id, index, { headOnly: true });
}
