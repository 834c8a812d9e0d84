import { updateJobDesign } from "@/lib/server/jobs/creative-edits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return updateJobDesign((await context.params).id, request);
}
