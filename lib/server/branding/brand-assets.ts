import "server-only";
import type { Design } from "@/lib/design";
import type { ImageStorage } from "../storage/storage";
import { loadLogo } from "./logos";
import { loadProduct } from "./products";

/** The uploaded pictures a design refers to, read once per run or edit. */
export interface BrandAssets {
  logo: Buffer | null;
  product: Buffer | null;
}

export async function loadBrandAssets(store: ImageStorage, design: Pick<Design, "logoId" | "productId">): Promise<BrandAssets> {
  const [logo, product] = await Promise.all([loadLogo(store, design.logoId), loadProduct(store, design.productId)]);
  return { logo, product };
}

/** The 400 for a design that names an upload no longer stored, or null when every upload is there. */
export function missingUpload(design: Pick<Design, "logoId" | "productId">, assets: BrandAssets): { path: string; message: string } | null {
  if (design.logoId && !assets.logo) return { path: "design.logoId", message: "That logo is no longer stored: upload it again." };
  if (design.productId && !assets.product) return { path: "design.productId", message: "That product image is no longer stored: upload it again." };
  return null;
}
