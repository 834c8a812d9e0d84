import { startJobFromRequest } from "@/lib/server/http/routes/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return startJobFromRequest(request);
}
