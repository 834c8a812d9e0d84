import "server-only";

/**
 * Sends Hugging Face's two origins somewhere else (a company gateway, the tests' stand-ins).
 *
 * The official client hard-codes https://huggingface.co and https://router.huggingface.co, and
 * while its `fetch` option covers the first request of a call, it polls fal's and WaveSpeed's
 * queues and downloads results with the global `fetch`. So the rewrite sits on the global
 * `fetch`: exactly those two origins are rewritten, and every other URL passes untouched.
 */

export const HF_HUB_ORIGIN = "https://huggingface.co";
export const HF_ROUTER_ORIGIN = "https://router.huggingface.co";

export interface HfOrigins {
  hub: string;
  router: string;
}

/** The rewritten URL, or null when `url` is not on one of the two Hugging Face origins. */
export function rewriteHfUrl(url: string, origins: HfOrigins): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const target = parsed.origin === HF_HUB_ORIGIN ? origins.hub : parsed.origin === HF_ROUTER_ORIGIN ? origins.router : null;
  if (target === null || target === parsed.origin) return null;
  // URL normalises the origin; userinfo on these origins would be odd, and it is never carried over.
  return `${target.replace(/\/+$/, "")}${parsed.pathname}${parsed.search}`;
}

type Fetch = typeof fetch;
const INSTALLED = Symbol.for("ad-creative-generator.hf-origin-rewrite");
type Holder = typeof globalThis & { [INSTALLED]?: { origins: HfOrigins } };

/**
 * Wraps the global `fetch` once per process; later calls only update the origins. A no-op while
 * both origins are the real ones.
 */
export function installHfOriginRewrite(origins: HfOrigins): void {
  const holder = globalThis as Holder;
  if (holder[INSTALLED]) {
    holder[INSTALLED].origins = origins;
    return;
  }
  if (origins.hub === HF_HUB_ORIGIN && origins.router === HF_ROUTER_ORIGIN) return;
  const state = { origins };
  holder[INSTALLED] = state;
  const original: Fetch = globalThis.fetch;
  const rewriting: Fetch = (input, init) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const next = rewriteHfUrl(href, state.origins);
    if (next === null) return original(input, init);
    if (typeof input === "string" || input instanceof URL) return original(next, init);
    // A Request keeps its method, headers, body and signal; only its URL changes.
    return original(new Request(next, input), init);
  };
  globalThis.fetch = rewriting;
}
