import { createBrandKit, listBrandKits } from "@/lib/server/http/routes/brand-kits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listBrandKits(request);
}

export function POST(request: Request): Promise<Response> {
  return createBrandKit(request);
}
