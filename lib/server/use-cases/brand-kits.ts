import "server-only";
import { randomBytes } from "node:crypto";
import { MAX_BRAND_KITS, type BrandKitInput, type SavedBrandKit } from "@/lib/brand-kits";
import type { Caller } from "../auth/caller";
import { AppError } from "./app-error";
import type { UseCaseContext } from "./use-case-context";

export type BrandKitContext = Pick<UseCaseContext, "kits" | "uploadsIn" | "now"> & { newId?: () => string };

/** The caller's workspace's kits, by name. */
export function listBrandKits(context: BrandKitContext, caller: Caller): Promise<SavedBrandKit[]> {
  return context.kits.list(caller.workspaceId);
}

/** Saves a kit under its name (replacing the workspace's kit of that name), with the brief it goes with. */
export async function saveBrandKit(context: BrandKitContext, caller: Caller, input: BrandKitInput): Promise<SavedBrandKit> {
  const { workspaceId } = caller;
  // A kit may name only the workspace's own uploads.
  const { isUpload } = context.uploadsIn(workspaceId);
  if (input.logoId && !(await isUpload(input.logoId, "logo"))) throw new AppError("invalid", "That logo is not one of this workspace's uploads: upload it again.", { field: "logoId" });
  if (input.productId && !(await isUpload(input.productId, "product"))) throw new AppError("invalid", "That product image is not one of this workspace's uploads: upload it again.", { field: "productId" });
  const existing = await context.kits.list(workspaceId);
  if (!existing.some((kit) => kit.name === input.name) && existing.length >= MAX_BRAND_KITS) {
    throw new AppError("invalid", `A workspace keeps at most ${MAX_BRAND_KITS} brand kits: delete one first.`, { field: "name" });
  }
  return context.kits.save(workspaceId, { ...input, productId: input.productId ?? null, updatedAt: context.now() }, (context.newId ?? (() => randomBytes(12).toString("base64url")))());
}

/** Deletes one of the workspace's kits; another workspace's answers as a missing one. */
export async function deleteBrandKit(context: BrandKitContext, caller: Caller, kitId: string): Promise<void> {
  if (!(await context.kits.remove(caller.workspaceId, kitId))) throw new AppError("not-found", "No brand kit with that id.");
}
