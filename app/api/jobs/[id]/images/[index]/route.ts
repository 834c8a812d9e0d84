import { updateCreativeLayout } from "@/lib/server/http/routes/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function PATCH(request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return updateCreativeLayout(request, id, index);
}
