import "server-only";
import type { z } from "zod";
import type { uploadedLogoSchema, uploadedProductSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import { appContext } from "../../app-context";
import { MAX_LOGO_BYTES, MAX_PRODUCT_BYTES, registerUpload } from "../../branding/uploads";
import { authorize } from "../authorize";
import { jsonError } from "../json-errors";
import { readBodyBytes } from "../read-json-body";

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
