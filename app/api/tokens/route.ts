import { createApiToken, listApiTokens } from "@/lib/server/http/routes/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listApiTokens(request);
}

export function POST(request: Request): Promise<Response> {
  return createApiToken(request);
}
