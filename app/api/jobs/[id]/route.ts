import { deleteJob, jobDetails } from "@/lib/server/http/routes/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, context: Context): Promise<Response> {
  return jobDetails(request, (await context.params).id);
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  return deleteJob(request, (await context.params).id);
}
