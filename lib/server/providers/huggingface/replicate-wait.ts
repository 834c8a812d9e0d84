import "server-only";
import { ProviderError } from "../provider-error";

/**
 * Replicate through the router answers `Prefer: wait` with the prediction as it stands when its
 * wait ends (60 s at most): `starting` or `processing`, no output yet. The client then reports a
 * "malformed response"; a picture still being made is not one. This fetch (given to the client)
 * follows such a prediction at `/v1/predictions/{id}` on the same route, with the same
 * credentials, and hands the client the finished prediction, or a clear failure.
 */
export function followReplicatePredictions(inner: typeof fetch, options: { label: string; intervalMs?: number }): typeof fetch {
  const intervalMs = options.intervalMs ?? 1_000;
  return async (input, init) => {
    const response = await inner(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (!response.ok || init?.method !== "POST" || !/\/replicate\/v1\/(models\/.+\/)?predictions$/.test(new URL(url).pathname)) return response;
    let prediction = (await response.clone().json().catch(() => null)) as Prediction | null;
    if (!prediction?.id || !PENDING.has(prediction.status)) return response;
    const follow = url.replace(/\/v1\/(models\/.+\/)?predictions$/, `/v1/predictions/${encodeURIComponent(prediction.id)}`);
    const signal = init?.signal ?? undefined;
    while (PENDING.has(prediction.status)) {
      await wait(intervalMs, signal);
      const polled = await inner(follow, { method: "GET", headers: { authorization: new Headers(init?.headers).get("authorization") ?? "" }, ...(signal ? { signal } : {}) });
      if (!polled.ok) return polled;
      prediction = (await polled.json()) as Prediction;
    }
    if (prediction.status !== "succeeded") {
      throw new ProviderError("provider_error", `${options.label}: the prediction ${prediction.status}${prediction.error ? `: ${String(prediction.error)}` : ""}.`);
    }
    // Not an answer to our client: the finished prediction handed to the HF client's fetch, as Replicate would have sent it.
    // eslint-disable-next-line no-restricted-syntax
    return Response.json(prediction, { status: 200 });
  };
}

interface Prediction {
  id?: string;
  status: string;
  output?: unknown;
  error?: unknown;
}

const PENDING = new Set(["starting", "processing"]);

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
