/**
 * A stand-in for Pollinations as documented for API version 0.3.0 (APIDOCS.md of
 * pollinations/pollinations, generated from enter.pollinations.ai's OpenAPI 3.1 document) and as
 * users have seen its free endpoint answer (pollinations/pollinations#11603, #7207, #13102):
 *
 * gen (POLLINATIONS_BASE_URL, https://gen.pollinations.ai)
 * - `GET /image/models`: public, a JSON array of `{name, aliases, description, output_modalities, …}`
 *   (video models included: they list "video" as their output).
 * - `GET /image/{prompt}?model&width&height&seed&negative_prompt&nologo&private` with
 *   `Authorization: Bearer <key>`: the image (`image/jpeg`); `401` for a missing or wrong key and
 *   `402` when the key's pollen is spent, both as `{status, success: false, error: {code, message}}`.
 *
 * legacy (POLLINATIONS_LEGACY_URL, https://image.pollinations.ai)
 * - `GET /models`: a JSON list of model names.
 * - `GET /prompt/{prompt}?model&width&height&seed&nologo&private`, anonymous, one request per IP at a
 *   time: a second one while the first runs gets `402 {"x402Version":1,"error":"Queue full for IP: …
 *   (max: 1). …"}`.
 * - When rate-limited it may answer `200` with a fixed branded placeholder picture (not the size asked).
 */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { fakeImage } from "./fake-image";
import { pause, sendBytes, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";

export type PollinationsBehaviour =
  | { kind: "ok"; latencyMs?: number }
  | { kind: "status"; status: number; body?: unknown; retryAfter?: string }
  | { kind: "queue-full" }
  | { kind: "placeholder" };

export interface PollinationsStandIn {
  genUrl: string;
  legacyUrl: string;
  requests: RecordedRequest[];
  /** The most requests the free endpoint ever had in flight at once. */
  maxConcurrentLegacy(): number;
  script(server: "gen" | "legacy", ...behaviours: PollinationsBehaviour[]): void;
  of(server: "gen" | "legacy", prefix?: string): RecordedRequest[];
  reset(): void;
  open(): number;
  close(): Promise<void>;
}

export const IMAGE_MODELS = [
  { name: "flux", aliases: [], description: "Flux Schnell - fast high-quality image generation", input_modalities: ["text"], output_modalities: ["image"], pricing: { currency: "pollen", completionImageTokens: 0.00012 } },
  { name: "turbo", aliases: ["sdxl-turbo"], description: "SDXL Turbo - single-step real-time generation", input_modalities: ["text"], output_modalities: ["image"], pricing: { currency: "pollen", completionImageTokens: 0.0003 } },
  { name: "gptimage", aliases: ["gpt-image"], description: "GPT Image 1 Mini", input_modalities: ["text", "image"], output_modalities: ["image"], pricing: { currency: "pollen", completionImageTokens: 0.008 } },
  { name: "veo", aliases: [], description: "Veo 3.1 Fast - text-to-video", input_modalities: ["text"], output_modalities: ["video"], pricing: { currency: "pollen", completionVideoSeconds: 0.15 } },
];

/** The branded picture the free endpoint sends instead of a creative; always the same bytes. */
const PLACEHOLDER_SIZE = { width: 1200, height: 630 };

export async function startPollinationsStandIn(options: { keys: string[]; latencyMs?: number; ports?: { gen?: number; legacy?: number } }): Promise<PollinationsStandIn> {
  const requests: RecordedRequest[] = [];
  const scripts = { gen: [] as PollinationsBehaviour[], legacy: [] as PollinationsBehaviour[] };
  let legacyInFlight = 0;
  let maxLegacy = 0;

  // Like a real model, a different prompt or seed never gives the same bytes (the free endpoint's
  // placeholder detection relies on it): the colour comes from a hash of both.
  const picture = async (record: RecordedRequest, response: ServerResponse, latencyMs: number) => {
    await pause(latencyMs, response);
    const [r, g, b] = createHash("sha256").update(`${record.query.seed}\u0000${record.path}`).digest();
    const bytes = await sharp({ create: { width: Number(record.query.width ?? 1024), height: Number(record.query.height ?? 1024), channels: 3, background: { r: r!, g: g!, b: b! } } })
      .jpeg({ quality: 80 })
      .toBuffer();
    sendBytes(response, "image/jpeg", bytes);
  };

  const gen = await startStandInServer("gen", requests, async (request, response, record) => {
    if (record.path === "/image/models") return sendJson(response, 200, IMAGE_MODELS);
    if (!record.path.startsWith("/image/")) return sendJson(response, 404, { status: 404, success: false, error: { code: "NOT_FOUND", message: "Not Found" } });
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!key || !options.keys.includes(key)) {
      return sendJson(response, 401, { status: 401, success: false, error: { code: "UNAUTHORIZED", message: "Authentication required. Please provide an API key via Authorization header (Bearer token) or ?key= query parameter." } });
    }
    const behaviour = scripts.gen.shift() ?? { kind: "ok" };
    if (behaviour.kind === "status") return sendJson(response, behaviour.status, behaviour.body ?? { status: behaviour.status, success: false, error: { code: "ERROR", message: `HTTP ${behaviour.status}` } }, behaviour.retryAfter ? { "retry-after": behaviour.retryAfter } : {});
    await picture(record, response, behaviour.kind === "ok" ? (behaviour.latencyMs ?? options.latencyMs ?? 0) : 0);
  }, options.ports?.gen);

  const legacy = await startStandInServer("legacy", requests, async (request, response, record) => {
    if (record.path === "/models") return sendJson(response, 200, ["flux", "turbo"]);
    if (!record.path.startsWith("/prompt/")) return sendJson(response, 404, { error: "Not Found" });
    const ip = request.socket.remoteAddress ?? "";
    const behaviour = scripts.legacy.shift() ?? { kind: "ok" };
    if (legacyInFlight > 0 || behaviour.kind === "queue-full") {
      return sendJson(response, 402, {
        x402Version: 1,
        error: `Queue full for IP: ${ip}: 1 requests already queued (max: 1). Get unlimited access at https://enter.pollinations.ai`,
        accepts: [{ scheme: "exact", network: "base", maxAmountRequired: "1000", description: "Pollinations legacy image — pay to bypass rate limit", mimeType: "image/jpeg" }],
      });
    }
    legacyInFlight++;
    maxLegacy = Math.max(maxLegacy, legacyInFlight);
    response.once("close", () => legacyInFlight--);
    if (behaviour.kind === "status") return sendJson(response, behaviour.status, behaviour.body ?? { error: `HTTP ${behaviour.status}` }, behaviour.retryAfter ? { "retry-after": behaviour.retryAfter } : {});
    if (behaviour.kind === "placeholder") return sendBytes(response, "image/jpeg", await fakeImage(PLACEHOLDER_SIZE.width, PLACEHOLDER_SIZE.height, "jpeg", 3));
    await picture(record, response, behaviour.kind === "ok" ? (behaviour.latencyMs ?? options.latencyMs ?? 0) : 0);
  }, options.ports?.legacy);

  const servers: StandInServer[] = [gen, legacy];
  return {
    genUrl: gen.url,
    legacyUrl: legacy.url,
    requests,
    maxConcurrentLegacy: () => maxLegacy,
    script(server, ...behaviours) {
      scripts[server].push(...behaviours);
    },
    of: (server, prefix = "") => requests.filter((request) => request.server === server && request.path.startsWith(prefix)),
    reset() {
      scripts.gen.length = 0;
      scripts.legacy.length = 0;
      requests.length = 0;
      maxLegacy = 0;
    },
    open: () => gen.open() + legacy.open(),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
