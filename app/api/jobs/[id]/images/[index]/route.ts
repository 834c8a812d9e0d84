import { updateCreativeLayout } from "@/lib/server/jobs/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function PATCH(request: Request, context: { params: Promise<{ id: string; index: string }> }): Promise<Response> {
  const { id, index } = await context.params;
  return updateCreativeLayout(id, index, request);
}
