import "server-only";
import packageJson from "@/package.json";
import { env } from "../../env";
import { openApiDocument } from "../openapi/openapi-document";

/** GET /api/openapi.json: the API's OpenAPI 3.1 document (public: it describes, it holds nothing). */
export function serveOpenApi(): Response {
  return Response.json(openApiDocument({ version: packageJson.version, auth: env().AUTH === "on" }), { headers: { "Cache-Control": "no-cache" } });
}
