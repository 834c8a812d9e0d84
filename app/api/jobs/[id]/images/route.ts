import { rerunJob } from "@/lib/server/jobs/job-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return rerunJob((await context.params).id, request);
}
