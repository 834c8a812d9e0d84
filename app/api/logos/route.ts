import { uploadLogo } from "@/lib/server/branding/logos";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return uploadLogo(request);
}
