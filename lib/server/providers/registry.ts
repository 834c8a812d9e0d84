import "server-only";
import type { ProviderId } from "@/lib/campaign";
import { env, type AppEnv } from "../env";
import { BuiltinProvider } from "./builtin";
import { HuggingFaceProvider } from "./huggingface";
import { PollinationsProvider } from "./pollinations";
import type { ImageProvider, ProviderStatus } from "./provider";

/** Every provider the app knows, built once from the validated configuration. */
export function createProviders(config: AppEnv): Record<ProviderId, ImageProvider> {
  return {
    huggingface: new HuggingFaceProvider({
      token: config.HF_TOKEN,
      model: config.HF_MODEL,
      endpointUrl: config.HF_ENDPOINT_URL,
    }),
    pollinations: new PollinationsProvider({
      baseUrl: config.POLLINATIONS_BASE_URL,
      model: config.POLLINATIONS_MODEL,
      token: config.POLLINATIONS_TOKEN,
    }),
    builtin: new BuiltinProvider(),
  };
}

// One set per process even though Next gives each route its own copy of this module.
const globalKey = Symbol.for("ad-creative-generator.providers");
type GlobalWithProviders = typeof globalThis & { [globalKey]?: Record<ProviderId, ImageProvider> };

function providers(): Record<ProviderId, ImageProvider> {
  const holder = globalThis as GlobalWithProviders;
  holder[globalKey] ??= createProviders(env());
  return holder[globalKey];
}

export function getProvider(id: ProviderId): ImageProvider {
  return providers()[id];
}

export function listProviders(): ProviderStatus[] {
  return Object.values(providers()).map((provider) => provider.status());
}

/** The configured default, falling back to built-in if it cannot run (so the first click works). */
export function defaultProviderId(): ProviderId {
  const preferred = env().IMAGE_PROVIDER;
  return getProvider(preferred).status().available ? preferred : "builtin";
}
