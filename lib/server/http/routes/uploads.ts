import "server-only";
import type { z } from "zod";
import type { uploadedLogoSchema, uploadedProductSchema } from "@/lib/api-answers";
import { apiPaths } from "@/lib/api-paths";
import { appContext } from "../../app-context";
import { MAX_LOGO_BYTES, MAX_PRODUCT_BYTES } from "../../branding/uploads";
import { saveUpload } from "../../use-cases/save-upload";
import { callerOf } from "../authorize";
import { answer } from "../error-response";
import { readUploadBytes } from "../read-json-body";

/** POST /api/logos: the raw file as the body (any Content-Type; the bytes decide). */
export function uploadLogo(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const bytes = await readUploadBytes(request, MAX_LOGO_BYTES, "The logo is larger than 2 MB. Upload a smaller file.");
    const logo = await saveUpload(appContext(), caller, "logo", bytes);
    return Response.json({ logoId: logo.id, url: apiPaths.image(logo.id), width: logo.width, height: logo.height } satisfies z.infer<typeof uploadedLogoSchema>, { status: 201 });
  });
}

/** POST /api/products: the raw file as the body (any Content-Type; the bytes decide). */
export function uploadProduct(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const bytes = await readUploadBytes(request, MAX_PRODUCT_BYTES, "The product image is larger than 8 MB. Upload a smaller file.");
    const product = await saveUpload(appContext(), caller, "product", bytes);
    return Response.json({ productId: product.id, url: apiPaths.image(product.id), width: product.width, height: product.height, keyed: product.keyed ?? false } satisfies z.infer<typeof uploadedProductSchema>, { status: 201 });
  });
}
