import { serveOpenApi } from "@/lib/server/http/routes/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return serveOpenApi();
}
