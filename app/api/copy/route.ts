import { draftCopy, listWriters } from "@/lib/server/http/routes/copy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listWriters(request);
}

export function POST(request: Request): Promise<Response> {
  return draftCopy(request);
}
