import { planFromRequest, streamGeneration } from "@/lib/server/generation/generation-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const planned = await planFromRequest(request);
  if (!planned.ok) return planned.response;
  return streamGeneration(planned.plan, request.signal);
}
