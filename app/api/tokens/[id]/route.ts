import { revokeApiToken } from "@/lib/server/http/routes/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return revokeApiToken(request, (await context.params).id);
}
