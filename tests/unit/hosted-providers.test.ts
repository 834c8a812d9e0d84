import { fastApiDetail } from "@/lib/server/providers/fastapi-detail";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { madeBy, servedBy } from "@/lib/providers-meta";
import { parseEnv } from "@/lib/server/env";
import { nextRouteMessage, shouldTryNextRoute } from "@/lib/server/generation/retry-policy";
import { mayCallInferenceProviders } from "@/lib/server/providers/huggingface/hf-hub";
import { rewriteHfUrl } from "@/lib/server/providers/huggingface/hf-origins";
import { HF_TEXT_TO_IMAGE_PROVIDERS, usableRoutes } from "@/lib/server/providers/huggingface/hf-routes";
import { PlaceholderDetector } from "@/lib/server/providers/pollinations/placeholder-detector";
import { errorFromHttpStatus } from "@/lib/server/providers/provider-error";

const origins = { hub: "http://127.0.0.1:4001", router: "https://gateway.example.com/hf-router" };

describe("rewriteHfUrl", () => {
  it("sends the Hub and the router to the configured origins, keeping path and query", () => {
    expect(rewriteHfUrl("https://huggingface.co/api/models/a/b?expand[]=inferenceProviderMapping", origins)).toBe(
      "http://127.0.0.1:4001/api/models/a/b?expand[]=inferenceProviderMapping",
    );
    expect(rewriteHfUrl("https://router.huggingface.co/fal-ai/fal-ai/flux/requests/abc/status?_subdomain=queue", origins)).toBe(
      "https://gateway.example.com/hf-router/fal-ai/fal-ai/flux/requests/abc/status?_subdomain=queue",
    );
  });

  it("never touches any other host, look-alikes included", () => {
    for (const url of [
      "https://v3.fal.media/files/rabbit/abc.png",
      "https://replicate.delivery/xezq/out-0.webp",
      "https://huggingface.co.evil.example/api/whoami-v2",
      "https://evilhuggingface.co/api",
      "https://cdn-lfs.huggingface.co/repos/x",
      "http://huggingface.co/api/whoami-v2",
      "https://huggingface.co:8443/api",
      "data:image/jpeg;base64,AAAA",
      "not a url",
    ]) {
      expect(rewriteHfUrl(url, origins)).toBeNull();
    }
  });

  it("is a no-op when the origins are the real ones", () => {
    expect(rewriteHfUrl("https://huggingface.co/api/whoami-v2", { hub: "https://huggingface.co", router: "https://router.huggingface.co" })).toBeNull();
  });
});

describe("usableRoutes", () => {
  const mapping = [
    { provider: "fal-ai", providerId: "fal-ai/flux/schnell", status: "live", task: "text-to-image" },
    { provider: "nscale", providerId: "x", status: "staging", task: "text-to-image" },
    { provider: "together", providerId: "y", status: "live", task: "image-to-image" },
    { provider: "some-new-provider", providerId: "z", status: "live", task: "text-to-image" },
    { provider: "replicate", providerId: "w", status: "live", task: "text-to-image" },
  ];

  it("keeps live text-to-image providers the installed client can call, in the Hub's order", () => {
    expect(usableRoutes(mapping, "auto")).toEqual(["fal-ai", "replicate"]);
  });

  it("keeps only the pinned provider when HF_PROVIDER pins one", () => {
    expect(usableRoutes(mapping, "replicate")).toEqual(["replicate"]);
    expect(usableRoutes(mapping, "nscale")).toEqual([]);
  });

  it("knows the text-to-image providers from the client itself", () => {
    expect(HF_TEXT_TO_IMAGE_PROVIDERS).toEqual(expect.arrayContaining(["fal-ai", "hf-inference", "nscale", "replicate", "together", "wavespeed"]));
    expect(HF_TEXT_TO_IMAGE_PROVIDERS).not.toContain("groq");
  });
});

describe("mayCallInferenceProviders", () => {
  it("accepts read and write tokens, and fine-grained ones with the inference permission", () => {
    expect(mayCallInferenceProviders({ auth: { accessToken: { role: "read" } } })).toBe(true);
    expect(mayCallInferenceProviders({ auth: { accessToken: { role: "fineGrained", fineGrained: { global: ["inference.serverless.write"] } } } })).toBe(true);
    expect(
      mayCallInferenceProviders({
        auth: { accessToken: { role: "fineGrained", fineGrained: { global: [], scoped: [{ entity: { type: "user" }, permissions: ["inference.serverless.write"] }] } } },
      }),
    ).toBe(true);
  });

  it("refuses a fine-grained token without it", () => {
    expect(mayCallInferenceProviders({ auth: { accessToken: { role: "fineGrained", fineGrained: { global: ["repo.content.read"], scoped: [] } } } })).toBe(false);
  });
});

describe("provider answers → what the runner does", () => {
  it("classifies 402 as payment required and 404 / 'not supported' as unsupported", () => {
    expect(errorFromHttpStatus("Hugging Face via fal-ai", 402, "credits exceeded", { paymentFix: "Add credits." }).code).toBe("payment_required");
    expect(errorFromHttpStatus("Hugging Face via fal-ai", 402, undefined, { paymentFix: "Add credits." }).message).toBe("Hugging Face via fal-ai needs payment (HTTP 402). Add credits.");
    expect(errorFromHttpStatus("x", 404, undefined).code).toBe("unsupported");
    expect(errorFromHttpStatus("x", 400, "Model foo is not supported by provider nscale").code).toBe("unsupported");
    expect(errorFromHttpStatus("x", 400, "width must be a multiple of 8").code).toBe("bad_request");
  });

  it("moves on to the next route unless the token, the disk or the user ended it", () => {
    expect(["payment_required", "unsupported", "rate_limited", "provider_error", "timeout", "bad_image", "bad_request"].every((code) => shouldTryNextRoute(code as never))).toBe(true);
    expect(["auth", "storage", "cancelled"].some((code) => shouldTryNextRoute(code as never))).toBe(false);
    expect(nextRouteMessage("fal-ai", "payment_required", "nscale")).toBe("fal-ai: payment required, trying nscale");
  });
});

describe("PlaceholderDetector", () => {
  const asked = { prompt: "a bottle on a table", seed: 1, width: 1024, height: 1024 };

  it("flags a picture of another size than asked, and identical bytes for a different prompt", async () => {
    const detector = new PlaceholderDetector();
    const picture = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#345" } }).jpeg().toBuffer();
    expect(detector.check(picture, { width: 1200, height: 630 }, asked)).toMatch(/1200×630, not the 1024×1024/);
    expect(detector.check(picture, { width: 1024, height: 1024 }, asked)).toBeNull();
    // The same answer again for the same prompt and seed is a real (deterministic) generation.
    expect(detector.check(picture, { width: 1024, height: 1024 }, asked)).toBeNull();
    expect(detector.check(picture, { width: 1024, height: 1024 }, { ...asked, seed: 2 })).toMatch(/already came back for another prompt/);
  });
});

describe("configuration of the hosted providers", () => {
  it("defaults to auto, three models and the real origins", () => {
    const config = parseEnv({});
    expect(config.HF_PROVIDER).toBe("auto");
    expect(config.HF_MODELS).toEqual(["stabilityai/stable-diffusion-xl-base-1.0", "black-forest-labs/FLUX.1-schnell", "Qwen/Qwen-Image"]);
    expect(config).toMatchObject({ HF_HUB_URL: "https://huggingface.co", HF_ROUTER_URL: "https://router.huggingface.co", POLLINATIONS_BASE_URL: "https://gen.pollinations.ai", POLLINATIONS_LEGACY_URL: "https://image.pollinations.ai" });
  });

  it("reads HF_MODELS as a comma list, keeps HF_MODEL working, trims trailing slashes", () => {
    expect(parseEnv({ HF_MODELS: " a/b , c/d,a/b " }).HF_MODELS).toEqual(["a/b", "c/d"]);
    expect(parseEnv({ HF_MODEL: "old/model" }).HF_MODELS).toEqual(["old/model"]);
    expect(parseEnv({ HF_ROUTER_URL: "http://127.0.0.1:9/" }).HF_ROUTER_URL).toBe("http://127.0.0.1:9");
  });

  it("names the variable and the fix for bad values", () => {
    expect(() => parseEnv({ HF_TOKEN: "not-a-token" })).toThrow(/HF_TOKEN: must be a Hugging Face access token \(it starts with hf_/);
    expect(() => parseEnv({ HF_PROVIDER: "groq" })).toThrow(/HF_PROVIDER: must be auto or one of: .*fal-ai/);
    expect(() => parseEnv({ HF_MODELS: "no-slash" })).toThrow(/HF_MODELS.*Hub id/);
    expect(() => parseEnv({ HF_HUB_URL: "ftp://x" })).toThrow(/HF_HUB_URL: must be an http\(s\) URL/);
    expect(() => parseEnv({ HF_EDIT_MODEL: "kontext" })).toThrow(/HF_EDIT_MODEL: must be a Hub model id .*, or none/);
    expect(() => parseEnv({ FAL_EDIT_MODEL: "https://fal.run/x" })).toThrow(/FAL_EDIT_MODEL: must be a fal endpoint id/);
  });

  it("builds the scene around a packshot with FLUX.1 Kontext unless told none", () => {
    expect(parseEnv({})).toMatchObject({ HF_EDIT_MODEL: "black-forest-labs/FLUX.1-Kontext-dev", FAL_EDIT_MODEL: "fal-ai/flux-kontext/dev" });
    expect(parseEnv({ HF_EDIT_MODEL: "Qwen/Qwen-Image-Edit" }).HF_EDIT_MODEL).toBe("Qwen/Qwen-Image-Edit");
    const off = parseEnv({ HF_EDIT_MODEL: "none", FAL_EDIT_MODEL: "none" });
    expect(off.HF_EDIT_MODEL).toBeUndefined();
    expect(off.FAL_EDIT_MODEL).toBeUndefined();
  });
});

describe("who made a creative, as the card says it", () => {
  it("names the provider and the route", () => {
    expect(madeBy("huggingface", "nscale")).toBe("Hugging Face · nscale");
    expect(madeBy("pollinations", "legacy")).toBe("Pollinations · free endpoint");
    expect(madeBy("builtin", "builtin")).toBe("Built-in");
    expect(madeBy("huggingface")).toBe("Hugging Face");
    expect(servedBy(["fal-ai", "nscale"])).toBe("Served by fal-ai, nscale (tried in this order)");
    expect(servedBy(["gen"])).toBeNull();
  });
});

describe("FastAPI error details (fal, AUTOMATIC1111)", () => {
  it("say which field is wrong, the same way for both", () => {
    expect(fastApiDetail([{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }, { loc: ["body", "width"], msg: "must be ≤ 2048" }])).toBe("prompt: field required; width: must be ≤ 2048");
    expect(fastApiDetail([{ loc: ["override_settings", "sd_model_checkpoint"], msg: "unknown" }])).toBe("override_settings.sd_model_checkpoint: unknown");
    expect(fastApiDetail("Not authenticated")).toBe("Not authenticated");
    expect(fastApiDetail({ odd: true })).toBeUndefined();
  });
});
