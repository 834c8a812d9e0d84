import { createPasswordReset } from "@/lib/server/http/routes/password-resets";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return createPasswordReset(request);
}
