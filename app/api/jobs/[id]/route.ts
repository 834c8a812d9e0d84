import { deleteJob, jobDetails } from "@/lib/server/http/routes/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  return jobDetails((await context.params).id);
}

export async function DELETE(_request: Request, context: Context): Promise<Response> {
  return deleteJob((await context.params).id);
}
