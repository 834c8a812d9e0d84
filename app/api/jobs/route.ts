import { listJobs } from "@/lib/server/http/routes/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listJobs(request);
}
