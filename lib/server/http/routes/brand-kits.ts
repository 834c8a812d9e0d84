import "server-only";
import { brandKitInputSchema } from "@/lib/brand-kits";
import { appContext } from "../../app-context";
import { AppError } from "../../use-cases/app-error";
import { deleteBrandKit as removeBrandKit, listBrandKits as brandKitsOf, saveBrandKit } from "../../use-cases/brand-kits";
import { callerOf } from "../authorize";
import { answer } from "../error-response";
import { readParsedBody } from "../read-json-body";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/brand-kits: the workspace's saved kits, by name. */
export function listBrandKits(request: Request): Promise<Response> {
  return answer(async () => Response.json({ kits: await brandKitsOf(appContext(), await callerOf(request)) }, { headers: NO_STORE }));
}

/** POST /api/brand-kits: saves a kit (a kit of the same name is replaced). */
export function createBrandKit(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const input = await readParsedBody(request, 8 * 1024, brandKitInputSchema, "The brand kit is not valid: fix the fields listed in issues.");
    return Response.json(await saveBrandKit(appContext(), caller, input), { status: 201, headers: NO_STORE });
  });
}

/** DELETE /api/brand-kits/{id}: another workspace's kit answers as a missing one. */
export function deleteBrandKit(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    if (!/^[A-Za-z0-9_-]{16}$/.test(rawId)) throw new AppError("invalid", "That is not a brand kit id.");
    await removeBrandKit(appContext(), caller, rawId);
    return new Response(null, { status: 204 });
  });
}
