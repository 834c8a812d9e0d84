import "server-only";
import type { Caller } from "../auth/caller";
import type { UploadKind } from "../branding/brand-assets";
import { registerUpload } from "../branding/uploads";
import { AppError } from "./app-error";
import type { UseCaseContext } from "./use-case-context";

export interface SavedUpload {
  id: string;
  width: number;
  height: number;
  /** For a product photo: whether its plain backdrop was cut out here. */
  keyed?: boolean;
}

/**
 * A logo or product picture uploaded to the caller's workspace: checked and normalised to a PNG
 * on the image workers (a bad file says what to upload instead), stored, and registered as that
 * workspace's upload of that kind, which is what a design may name.
 */
export async function saveUpload(context: Pick<UseCaseContext, "store" | "repo" | "work">, caller: Caller, kind: UploadKind, bytes: Buffer): Promise<SavedUpload> {
  const { store, repo, work } = context;
  const normalised = kind === "logo" ? { keyed: undefined, ...(await work.normaliseLogo(bytes)) } : await work.normaliseProduct(bytes);
  if (!normalised.ok) throw new AppError(normalised.code, normalised.error);
  const saved = await store.save(normalised.png, "png");
  await registerUpload(store, repo, saved.id, kind, caller.workspaceId);
  return { id: saved.id, width: normalised.width, height: normalised.height, ...(normalised.keyed !== undefined ? { keyed: normalised.keyed } : {}) };
}
