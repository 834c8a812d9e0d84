import "server-only";
import type { z } from "zod";
import type { providerCheckSchema, providerListSchema } from "@/lib/api-answers";
import { PROVIDER_IDS, type ProviderId } from "@/lib/campaign";
import { getProvider, refreshProviders } from "../../providers/registry";
import { authorize } from "../authorize";
import { jsonError } from "../json-errors";

type ProviderList = z.infer<typeof providerListSchema>;
type ProviderCheck = z.infer<typeof providerCheckSchema>;

const noStore = { headers: { "Cache-Control": "no-store" } };

/** GET /api/providers: every provider with its models and the routes that serve them right now. */
export async function listProviderOptions(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  return Response.json({ providers: await refreshProviders() } satisfies ProviderList, noStore);
}

/** POST /api/providers/{id}/check: checks the provider's credentials (Hugging Face whoami). */
export async function checkProviderAccount(request: Request, rawId: string): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  if (!(PROVIDER_IDS as readonly string[]).includes(rawId)) return jsonError(404, `No provider called ${rawId}: use one of ${PROVIDER_IDS.join(", ")}.`);
  const provider = getProvider(rawId as ProviderId);
  if (!provider.checkAccount || !provider.status().checkable) return jsonError(400, `${provider.label} has no credentials to check.`);
  return Response.json({ provider: await provider.checkAccount() } satisfies ProviderCheck, noStore);
}
