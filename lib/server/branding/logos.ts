import "server-only";
import type { z } from "zod";
import type { uploadedLogoSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import { appContext } from "../app-context";
import { authorize } from "../http/authorize";
import { jsonError } from "../http/json-errors";
import { readBodyBytes } from "../http/read-json-body";
import type { ImageStorage, JobStore } from "../storage/storage";

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/** POST /api/logos: the raw file as the body (any Content-Type; the bytes decide). */
export async function uploadLogo(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const body = await readBodyBytes(request, MAX_LOGO_BYTES, "The logo is larger than 2 MB. Upload a smaller file.");
  if (!body.ok) return body.response;
  const { store, repo, work } = appContext();
  const logo = await work.normaliseLogo(body.bytes);
  if (!logo.ok) return jsonError(logo.status, logo.error);
  const saved = await store.save(logo.png, "png");
  await registerUpload(store, repo, saved.id, "logo", authorized.caller.workspaceId);
  return Response.json({ logoId: saved.id, url: apiPaths.image(saved.id), width: logo.width, height: logo.height } satisfies z.infer<typeof uploadedLogoSchema>, { status: 201 });
}

/** Records a stored upload as what it is; without its row the file is removed again. */
export async function registerUpload(store: ImageStorage, repo: JobStore, id: string, kind: "logo" | "product", workspaceId: string): Promise<void> {
  try {
    await repo.addUpload(id, kind, Date.now(), workspaceId);
  } catch (error) {
    await store.remove([id]);
    throw error;
  }
}

/** The stored logo, or null when there is none (or it was deleted with its last campaign). */
export async function loadLogo(store: ImageStorage, logoId: string | null): Promise<Buffer | null> {
  return logoId ? store.read(logoId) : null;
}
