import "server-only";
import type { ProviderId } from "@/lib/campaign";
import { env, type AppEnv } from "../env";
import { sharedImageWork } from "../image-work/shared-image-work";
import { BuiltinProvider } from "./builtin/builtin-provider";
import { FalProvider } from "./fal/fal-provider";
import { HuggingFaceProvider } from "./huggingface/huggingface-provider";
import { LocalSdProvider } from "./local/local-sd-provider";
import { OpenAiProvider } from "./openai/openai-provider";
import { PollinationsProvider } from "./pollinations/pollinations-provider";
import { ComfyUiProvider } from "./comfyui/comfyui-provider";
import { BUNDLED_WORKFLOWS } from "./comfyui/comfyui-workflow";
import type { ImageProvider, ProviderStatus } from "./provider";

/** Every provider the app knows, built once from the validated configuration. */
export function createProviders(config: AppEnv): Record<ProviderId, ImageProvider> {
  return {
    huggingface: new HuggingFaceProvider({
      token: config.HF_TOKEN,
      models: config.HF_MODELS,
      pinnedProvider: config.HF_PROVIDER,
      hubUrl: config.HF_HUB_URL,
      routerUrl: config.HF_ROUTER_URL,
      endpointUrl: config.HF_ENDPOINT_URL,
      editModel: config.HF_EDIT_MODEL,
      billTo: config.HF_BILL_TO,
    }),
    pollinations: new PollinationsProvider({
      baseUrl: config.POLLINATIONS_BASE_URL,
      legacyUrl: config.POLLINATIONS_LEGACY_URL,
      model: config.POLLINATIONS_MODEL,
      token: config.POLLINATIONS_TOKEN,
    }),
    openai: new OpenAiProvider({
      apiKey: config.OPENAI_API_KEY,
      model: config.OPENAI_IMAGE_MODEL,
      baseUrl: config.OPENAI_BASE_URL,
      partialImages: config.OPENAI_PARTIAL_IMAGES,
    }),
    fal: new FalProvider({ key: config.FAL_KEY, model: config.FAL_MODEL, queueUrl: config.FAL_QUEUE_URL, editModel: config.FAL_EDIT_MODEL, startTimeoutS: config.FAL_START_TIMEOUT_S }),
    comfyui: new ComfyUiProvider({ url: config.COMFYUI_URL?.replace(/\/+$/, ""), workflows: config.COMFYUI_WORKFLOW ? [config.COMFYUI_WORKFLOW, ...BUNDLED_WORKFLOWS] : BUNDLED_WORKFLOWS }),
    local: new LocalSdProvider({ url: config.LOCAL_SD_URL?.replace(/\/+$/, ""), auth: config.LOCAL_SD_AUTH, steps: config.LOCAL_SD_STEPS, sampler: config.LOCAL_SD_SAMPLER }),
    builtin: new BuiltinProvider((options) => sharedImageWork().render(options)),
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

/** What is known now (configuration and caches); for the first paint of the page. */
export function listProviders(): ProviderStatus[] {
  return Object.values(providers()).map((provider) => provider.status());
}

/** Asks each provider what it offers right now (model lists, provider mappings). */
export function refreshProviders(): Promise<ProviderStatus[]> {
  return Promise.all(Object.values(providers()).map((provider) => provider.refresh()));
}

/** The configured default, falling back to built-in if it cannot run (so the first click works). */
export function defaultProviderId(): ProviderId {
  const preferred = env().IMAGE_PROVIDER;
  return getProvider(preferred).status().available ? preferred : "builtin";
}

