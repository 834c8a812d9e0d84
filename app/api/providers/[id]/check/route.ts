import { checkProviderAccount } from "@/lib/server/http/routes/providers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return checkProviderAccount((await context.params).id);
}
