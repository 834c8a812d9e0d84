/**
 * The one provider table, for the browser and the server alike: every provider's id (in the
 * order the form lists them) and how it is named on screen. The live facts (availability, models,
 * which routes serve them) come from `/api/providers`.
 */
export const PROVIDER_NAMES = {
  huggingface: "Hugging Face",
  pollinations: "Pollinations",
  openai: "OpenAI",
  fal: "fal",
  local: "Your GPU server",
  comfyui: "ComfyUI",
  builtin: "Built-in",
} as const satisfies Record<string, string>;

export type ProviderId = keyof typeof PROVIDER_NAMES;
export const PROVIDER_IDS = Object.keys(PROVIDER_NAMES) as [ProviderId, ...ProviderId[]];

/** Routes whose id is not already a readable name (Inference Providers are: "fal-ai", "nscale"); a provider's own route goes here. */
const ROUTE_NAMES: Record<string, string | null> = {
  builtin: null,
  endpoint: "Inference Endpoint",
  gen: "API key",
  legacy: "free endpoint",
  "images-api": null,
  "fal-queue": null,
  a1111: null,
  comfyui: null,
};

/** "Hugging Face · nscale", "Pollinations · free endpoint", "Built-in". */
export function madeBy(provider: ProviderId, route?: string): string {
  const routeName = route === undefined ? null : route in ROUTE_NAMES ? ROUTE_NAMES[route] : route;
  return routeName ? `${PROVIDER_NAMES[provider]} · ${routeName}` : PROVIDER_NAMES[provider];
}

/** "Served by fal-ai, nscale" when a model's routes are Inference Providers; null for a provider's own fixed route. */
export function servedBy(routes: string[]): string | null {
  const providers = routes.filter((route) => !(route in ROUTE_NAMES));
  if (providers.length === 0) return null;
  return providers.length === 1 ? `Served by ${providers[0]}` : `Served by ${providers.join(", ")} (tried in this order)`;
}
