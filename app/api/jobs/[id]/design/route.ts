import { updateJobDesign } from "@/lib/server/http/routes/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return updateJobDesign(request, id);
}
