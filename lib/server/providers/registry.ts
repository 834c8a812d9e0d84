import "server-only";
import type { ProviderId } from "@/lib/campaign";
import type { z } from "zod";
import type { RenderOptions } from "./builtin/options";
import { BuiltinProvider } from "./builtin/builtin-provider";
import { FalProvider, falSettings } from "./fal/fal-provider";
import { HuggingFaceProvider, huggingFaceSettings } from "./huggingface/huggingface-provider";
import { LocalSdProvider, localSdSettings } from "./local/local-sd-provider";
import { OpenAiProvider, openAiSettings } from "./openai/openai-provider";
import { PollinationsProvider, pollinationsSettings } from "./pollinations/pollinations-provider";
import { ComfyUiProvider, comfyUiSettings } from "./comfyui/comfyui-provider";
import { BUNDLED_WORKFLOWS } from "./comfyui/comfyui-workflow";
import type { ImageProvider, ProviderStatus } from "./provider";

/** Every provider's settings, each declared beside its provider; `env.ts` validates them with the rest. */
export const PROVIDER_SETTINGS = {
  ...huggingFaceSettings,
  ...pollinationsSettings,
  ...openAiSettings,
  ...falSettings,
  ...comfyUiSettings,
  ...localSdSettings,
};

/** What the providers are built from: their settings as `env.ts` validated them (without importing it: it imports this). */
export type ProviderConfig = z.output<z.ZodObject<typeof PROVIDER_SETTINGS>> & { IMAGE_PROVIDER: ProviderId; HF_MODELS: string[] };

/** The providers, one of each, and which one makes a campaign's images when it names none. */
export interface ProviderRegistry {
  get(id: ProviderId): ImageProvider;
  /** What is known now (configuration and caches); for the first paint of the page. */
  list(): ProviderStatus[];
  /** Asks each provider what it offers right now (model lists, provider mappings). */
  refresh(): Promise<ProviderStatus[]>;
  /** IMAGE_PROVIDER: who makes a campaign's images when it names no provider. */
  configured: ProviderId;
  /** The configured one, or built-in when it cannot run (so the first click works). */
  defaultId(): ProviderId;
}

/** Every provider the app knows, built from the validated configuration; the built-in one draws with `render` (the image work's threads). */
export function createProviderRegistry(config: ProviderConfig, deps: { render: (options: RenderOptions) => Promise<Buffer> }): ProviderRegistry {
  const providers: Record<ProviderId, ImageProvider> = {
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
    builtin: new BuiltinProvider(deps.render),
  };
  const all = Object.values(providers);
  return {
    get: (id) => providers[id],
    list: () => all.map((provider) => provider.status()),
    refresh: () => Promise.all(all.map((provider) => provider.refresh())),
    configured: config.IMAGE_PROVIDER,
    defaultId: () => (providers[config.IMAGE_PROVIDER].status().available ? config.IMAGE_PROVIDER : "builtin"),
  };
}
