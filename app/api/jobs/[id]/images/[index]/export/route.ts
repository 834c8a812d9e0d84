import { exportAllFormats } from "@/lib/server/http/routes/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return exportAllFormats(id, index);
}

export async function HEAD(_request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return exportAllFormats(id, index, { headOnly: true });
}
