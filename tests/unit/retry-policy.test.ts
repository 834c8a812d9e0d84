import { describe, expect, it } from "vitest";
import { decideRetry, isRetryable } from "@/lib/server/generation/retry-policy";
import { errorFromHttpStatus, parseRetryAfter, ProviderError } from "@/lib/server/providers/provider-error";

describe("decideRetry", () => {
  it("waits the model's estimated load time, capped at 30 s, up to 3 times", () => {
    const loading = (s: number) => new ProviderError("model_loading", "loading", { estimatedTimeSec: s });
    expect(decideRetry(loading(8.5), 0)).toMatchObject({ retry: true, delayMs: 8500 });
    expect(decideRetry(loading(200), 2)).toMatchObject({ retry: true, delayMs: 30_000 });
    expect(decideRetry(loading(1), 3)).toEqual({ retry: false });
  });

  it("backs off exponentially with jitter on 429 when there is no Retry-After", () => {
    const limited = new ProviderError("rate_limited", "429");
    expect(decideRetry(limited, 0, () => 0)).toMatchObject({ delayMs: 1000 });
    expect(decideRetry(limited, 2, () => 0)).toMatchObject({ delayMs: 4000 });
    expect(decideRetry(limited, 2, () => 1)).toMatchObject({ delayMs: 5000 });
  });

  it("never retries auth, bad requests, bad images or timeouts automatically", () => {
    for (const code of ["auth", "bad_request", "bad_image", "timeout", "storage"] as const) {
      expect(decideRetry(new ProviderError(code, "x"), 0)).toEqual({ retry: false });
    }
    expect(isRetryable("auth")).toBe(false);
    expect(isRetryable("bad_request")).toBe(false);
    expect(isRetryable("timeout")).toBe(true);
  });
});

describe("errorFromHttpStatus", () => {
  it("classifies provider answers and names the token variable on 401/403", () => {
    expect(errorFromHttpStatus("Hugging Face", 401, undefined, { tokenVariable: "HF_TOKEN" }).message).toMatch(/HF_TOKEN/);
    expect(errorFromHttpStatus("X", 403, undefined).code).toBe("auth");
    expect(errorFromHttpStatus("X", 429, undefined, { retryAfterMs: 2000 })).toMatchObject({ code: "rate_limited", retryAfterMs: 2000 });
    expect(errorFromHttpStatus("X", 503, "loading", { estimatedTimeSec: 5 })).toMatchObject({ code: "model_loading", estimatedTimeSec: 5 });
    expect(errorFromHttpStatus("X", 503, "down").code).toBe("provider_error");
    expect(errorFromHttpStatus("X", 422, "bad").code).toBe("bad_request");
    expect(errorFromHttpStatus("X", 500, "boom").code).toBe("provider_error");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("1.5")).toBe(1500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
