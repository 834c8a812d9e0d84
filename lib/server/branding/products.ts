import "server-only";
import type { z } from "zod";
import type { uploadedProductSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import { appContext } from "../app-context";
import { authorize } from "../http/authorize";
import { jsonError } from "../http/json-errors";
import { readBodyBytes } from "../http/read-json-body";
import type { ImageStorage } from "../storage/storage";
import { registerUpload } from "./logos";

export const MAX_PRODUCT_BYTES = 8 * 1024 * 1024;

/** POST /api/products: the raw file as the body (any Content-Type; the bytes decide). */
export async function uploadProduct(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const body = await readBodyBytes(request, MAX_PRODUCT_BYTES, "The product image is larger than 8 MB. Upload a smaller file.");
  if (!body.ok) return body.response;
  const { store, repo, work } = appContext();
  const product = await work.normaliseProduct(body.bytes);
  if (!product.ok) return jsonError(product.status, product.error);
  const saved = await store.save(product.png, "png");
  await registerUpload(store, repo, saved.id, "product", authorized.caller.workspaceId);
  return Response.json({ productId: saved.id, url: apiPaths.image(saved.id), width: product.width, height: product.height, keyed: product.keyed } satisfies z.infer<typeof uploadedProductSchema>, { status: 201 });
}

/** The stored product image, or null when there is none. */
export async function loadProduct(store: ImageStorage, productId: string | null | undefined): Promise<Buffer | null> {
  return productId ? store.read(productId) : null;
}
