/**
 * A scripted stand-in for Pollinations' free endpoint (image.pollinations.ai), following its
 * public API docs (APIDOCS.md of pollinations/pollinations, API version 0.3.0): `GET /prompt/<url-encoded
 * prompt>?width=&height=&seed=&model=&nologo=true`, answered with `image/jpeg` bytes. Faults are
 * scripted (fault-script.ts). The keyed API is fakes/pollinations.ts.
 */
import { startScriptedFake, toNumber, type FakeProvider, type FakeProviderOptions, type ScriptedProtocol } from "./scripted-fake-server";

const pollinationsLegacy: ScriptedProtocol = {
  name: "pollinations",
  imageFormat: "jpeg",
  imageType: "image/jpeg",
  loadingModel: "flux",
  refuse(method, url) {
    if (!url.pathname.startsWith("/prompt/")) return { status: 404, error: "Not Found" };
    if (method !== "GET" && method !== "HEAD") return { status: 405, error: "Method Not Allowed", headers: { allow: "GET" } };
    return null;
  },
  async read(_request, url, record) {
    const encoded = url.pathname.slice("/prompt/".length);
    try {
      record.prompt = decodeURIComponent(encoded);
    } catch {
      record.prompt = encoded;
    }
    const width = toNumber(url.searchParams.get("width"));
    const height = toNumber(url.searchParams.get("height"));
    const seed = toNumber(url.searchParams.get("seed"));
    if (width !== undefined) record.width = width;
    if (height !== undefined) record.height = height;
    if (seed !== undefined) record.seed = seed;
    return null;
  },
};

export function startFakePollinations(options?: FakeProviderOptions): Promise<FakeProvider> {
  return startScriptedFake(pollinationsLegacy, options);
}
