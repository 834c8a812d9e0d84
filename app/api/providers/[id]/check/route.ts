import { checkProviderAccount } from "@/lib/server/http/routes/providers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return checkProviderAccount(request, (await context.params).id);
}
