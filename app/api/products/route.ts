import { uploadProduct } from "@/lib/server/http/routes/uploads";
import { withStorageErrors } from "@/lib/server/http/storage-errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return withStorageErrors(() => uploadProduct(request));
}
