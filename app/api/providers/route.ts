import { listProviderOptions } from "@/lib/server/http/routes/providers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listProviderOptions(request);
}
