import { uploadLogo } from "@/lib/server/branding/logos";
import { withStorageErrors } from "@/lib/server/http/storage-errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return withStorageErrors(() => uploadLogo(request));
}
