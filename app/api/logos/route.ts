import { uploadLogo } from "@/lib/server/http/routes/uploads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return uploadLogo(request);
}
