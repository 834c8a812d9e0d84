import "server-only";
import type { Design } from "@/lib/design";
import type { ImageStorage } from "../storage/storage";
import { loadLogo, loadProduct } from "./uploads";

/** The uploaded pictures a design refers to, read once per run or edit. */
export interface BrandAssets {
  logo: Buffer | null;
  product: Buffer | null;
}

export type UploadKind = "logo" | "product";

/** Where uploads are read, and which ids really are uploads of each kind (their own registry). */
export interface UploadSource {
  store: ImageStorage;
  isUpload: (id: string, kind: UploadKind) => Promise<boolean>;
}

/**
 * The design's logo and product image. An id that is not an upload of that kind (another job's
 * picture, say) is treated as missing: a design can only name what was uploaded as a logo.
 */
export async function loadBrandAssets(uploads: UploadSource, design: Pick<Design, "logoId" | "productId">): Promise<BrandAssets> {
  const { store, isUpload } = uploads;
  const [logo, product] = await Promise.all([
    loadLogo(store, design.logoId && (await isUpload(design.logoId, "logo")) ? design.logoId : null),
    loadProduct(store, design.productId && (await isUpload(design.productId, "product")) ? design.productId : null),
  ]);
  return { logo, product };
}

/** The 400 for a design that names an upload no longer stored, or null when every upload is there. */
export function missingUpload(design: Pick<Design, "logoId" | "productId">, assets: BrandAssets): { path: string; message: string } | null {
  if (design.logoId && !assets.logo) return { path: "design.logoId", message: "That logo is no longer stored: upload it again." };
  if (design.productId && !assets.product) return { path: "design.productId", message: "That product image is no longer stored: upload it again." };
  return null;
}
