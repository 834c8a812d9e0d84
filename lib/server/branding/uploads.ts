import "server-only";
import type { ImageStorage, UploadRegistry } from "../storage/storage";

/** The largest logo and product image taken (the edge refuses larger bodies with these). */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
export const MAX_PRODUCT_BYTES = 8 * 1024 * 1024;

/** Records a stored upload as what it is; without its row the file is removed again. */
export async function registerUpload(store: ImageStorage, repo: Pick<UploadRegistry, "addUpload">, id: string, kind: "logo" | "product", workspaceId: string): Promise<void> {
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

/** The stored product image, or null when there is none. */
export async function loadProduct(store: ImageStorage, productId: string | null | undefined): Promise<Buffer | null> {
  return productId ? store.read(productId) : null;
}
