import { startJobFromRequest } from "@/lib/server/jobs/job-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return startJobFromRequest(request);
}
