import "server-only";
import type { z } from "zod";
import type { providerCheckSchema, providerListSchema } from "@/lib/api-answers";
import { PROVIDER_IDS, type ProviderId } from "@/lib/campaign";
import { appContext } from "../../app-context";
import { AppError } from "../../use-cases/app-error";
import { callerOf } from "../authorize";
import { answer } from "../error-response";

type ProviderList = z.infer<typeof providerListSchema>;
type ProviderCheck = z.infer<typeof providerCheckSchema>;

const noStore = { headers: { "Cache-Control": "no-store" } };

/** GET /api/providers: every provider with its models and the routes that serve them right now. */
export function listProviderOptions(request: Request): Promise<Response> {
  return answer(async () => {
    await callerOf(request);
    return Response.json({ providers: await appContext().providers.refresh() } satisfies ProviderList, noStore);
  });
}

/** POST /api/providers/{id}/check: checks the provider's credentials (Hugging Face whoami). */
export function checkProviderAccount(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    await callerOf(request);
    if (!(PROVIDER_IDS as readonly string[]).includes(rawId)) throw new AppError("not-found", `No provider called ${rawId}: use one of ${PROVIDER_IDS.join(", ")}.`);
    const provider = appContext().providers.get(rawId as ProviderId);
    if (!provider.checkAccount || !provider.status().checkable) throw new AppError("invalid", `${provider.label} has no credentials to check.`);
    return Response.json({ provider: await provider.checkAccount() } satisfies ProviderCheck, noStore);
  });
}
