import "server-only";
import { randomBytes } from "node:crypto";
import { MAX_BRAND_KITS, type BrandKitInput, type SavedBrandKit } from "@/lib/brand-kits";
import type { UploadKind } from "../branding/brand-assets";
import type { BrandKitStore } from "../storage/brand-kit-store";
import { failure, type Outcome } from "./use-case-error";

export interface BrandKitDeps {
  kits: BrandKitStore;
  /** Whether an upload is the workspace's own: a kit may name only those. */
  isUpload: (id: string, kind: UploadKind) => Promise<boolean>;
  now: () => number;
  newId?: () => string;
}

/** Saves a kit under its name (replacing the workspace's kit of that name), with the brief it goes with. */
export async function saveBrandKit(deps: BrandKitDeps, workspaceId: string, input: BrandKitInput): Promise<Outcome<SavedBrandKit>> {
  if (input.logoId && !(await deps.isUpload(input.logoId, "logo"))) return failure("invalid", "That logo is not one of this workspace's uploads: upload it again.", "logoId");
  if (input.productId && !(await deps.isUpload(input.productId, "product"))) return failure("invalid", "That product image is not one of this workspace's uploads: upload it again.", "productId");
  const existing = await deps.kits.list(workspaceId);
  if (!existing.some((kit) => kit.name === input.name) && existing.length >= MAX_BRAND_KITS) {
    return failure("invalid", `A workspace keeps at most ${MAX_BRAND_KITS} brand kits: delete one first.`, "name");
  }
  const saved = await deps.kits.save(workspaceId, { ...input, productId: input.productId ?? null, updatedAt: deps.now() }, (deps.newId ?? (() => randomBytes(12).toString("base64url")))());
  return { ok: true, value: saved };
}
