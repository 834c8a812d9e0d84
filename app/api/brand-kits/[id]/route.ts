import { deleteBrandKit } from "@/lib/server/http/routes/brand-kits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return deleteBrandKit(request, (await context.params).id);
}
