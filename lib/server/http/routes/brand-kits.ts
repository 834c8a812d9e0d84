import "server-only";
import { brandKitInputSchema } from "@/lib/brand-kits";
import { appContext } from "../../app-context";
import { saveBrandKit } from "../../use-cases/brand-kits";
import { authorize } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";
import { answerForError } from "../use-case-errors";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/brand-kits: the workspace's saved kits, by name. */
export async function listBrandKits(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  return Response.json({ kits: await appContext().kits.list(authorized.caller.workspaceId) }, { headers: NO_STORE });
}

/** POST /api/brand-kits: saves a kit (a kit of the same name is replaced). */
export async function createBrandKit(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const body = await readJsonBody(request, 8 * 1024);
  if (!body.ok) return body.response;
  const parsed = brandKitInputSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The brand kit is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { kits, uploadsIn } = appContext();
  const { workspaceId } = authorized.caller;
  const saved = await saveBrandKit({ kits, isUpload: uploadsIn(workspaceId).isUpload, now: Date.now }, workspaceId, parsed.data);
  if (!saved.ok) return answerForError(saved.error);
  return Response.json(saved.value, { status: 201, headers: NO_STORE });
}

/** DELETE /api/brand-kits/{id}: another workspace's kit answers as a missing one. */
export async function deleteBrandKit(request: Request, rawId: string): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  if (!/^[A-Za-z0-9_-]{16}$/.test(rawId)) return jsonError(400, "That is not a brand kit id.");
  const removed = await appContext().kits.remove(authorized.caller.workspaceId, rawId);
  return removed ? new Response(null, { status: 204 }) : jsonError(404, "No brand kit with that id.");
}
