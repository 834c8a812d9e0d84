/**
 * The faults a scripted fake provider can act out, and the client that scripts a fake running in
 * another process (Playwright starts its stand-ins in their own process) over its control API:
 * - `POST /__control` `{ latencyMs?, script?, default?, reset? }` (reset first; `script` appends)
 * - `GET  /__control` → `{ requests, open }`
 * - `GET  /__control/requests` → the request records (JSON)
 */

export type FakeBehaviour =
  | { kind: "ok"; latencyMs?: number } // valid image of the requested width×height (latencyMs overrides the server's)
  | { kind: "loading"; estimatedTime: number } // HTTP 503 + {"error":"Model … is currently loading","estimated_time":N}
  | { kind: "status"; status: number; body?: string; retryAfter?: string } // JSON {"error": body ?? default}
  | { kind: "hang" } // accept and never answer (until the client aborts)
  | { kind: "reset" } // headers + part of an image, then destroy the socket
  | { kind: "html" } // 200 with an image content-type but an HTML error page as body
  | { kind: "truncated" } // 200, first half of a valid image
  | { kind: "empty" } // 200, empty body
  | { kind: "drip"; intervalMs: number } // valid image sent 1 byte per intervalMs
  | { kind: "oversized"; width: number; height: number }; // valid image far larger than asked

export interface FakeRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** Parsed JSON for HF (the raw string when it was not valid JSON), undefined for Pollinations GET. */
  body: unknown;
  prompt: string;
  width: number;
  height: number;
  seed?: number;
  startedAt: number;
  endedAt?: number;
  /** "aborted-by-client" = the client closed the connection before we finished answering. */
  outcome?: "answered" | "aborted-by-client" | "destroyed";
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
export function isNum(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

export function parseBehaviour(x: unknown): FakeBehaviour | null {
  if (!isRecord(x) || typeof x.kind !== "string") return null;
  switch (x.kind) {
    case "ok":
      return isNum(x.latencyMs) ? { kind: "ok", latencyMs: x.latencyMs } : { kind: "ok" };
    case "hang":
    case "reset":
    case "html":
    case "truncated":
    case "empty":
      return { kind: x.kind };
    case "loading":
      return isNum(x.estimatedTime) ? { kind: "loading", estimatedTime: x.estimatedTime } : null;
    case "status": {
      if (!isNum(x.status) || x.status < 100 || x.status > 599) return null;
      if (x.body !== undefined && typeof x.body !== "string") return null;
      if (x.retryAfter !== undefined && typeof x.retryAfter !== "string") return null;
      const b: FakeBehaviour = { kind: "status", status: Math.trunc(x.status) };
      if (x.body !== undefined) b.body = x.body;
      if (x.retryAfter !== undefined) b.retryAfter = x.retryAfter;
      return b;
    }
    case "drip":
      return isNum(x.intervalMs) && x.intervalMs >= 0 ? { kind: "drip", intervalMs: x.intervalMs } : null;
    case "oversized":
      return isNum(x.width) && isNum(x.height) && x.width > 0 && x.height > 0
        ? { kind: "oversized", width: x.width, height: x.height }
        : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Server core
// ---------------------------------------------------------------------------------------------

export interface FakeControlCommand {
  latencyMs?: number;
  script?: FakeBehaviour[];
  default?: FakeBehaviour;
  reset?: true;
}

/** POST /__control on a fake running in another process. */
export async function controlFake(baseUrl: string, cmd: FakeControlCommand): Promise<{ requests: number; open: number }> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/__control`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(cmd),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake control failed: ${res.status} ${text}`);
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !isNum(parsed.requests) || !isNum(parsed.open)) throw new Error(`bad control reply: ${text}`);
  return { requests: parsed.requests, open: parsed.open };
}

/** GET /__control on a fake running in another process. */
export async function fakeStatus(baseUrl: string): Promise<{ requests: number; open: number }> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/__control`);
  const text = await res.text();
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !isNum(parsed.requests) || !isNum(parsed.open)) throw new Error(`bad control reply: ${text}`);
  return { requests: parsed.requests, open: parsed.open };
}

/** GET /__control/requests on a fake running in another process. */
export async function fakeRequests(baseUrl: string): Promise<FakeRequestRecord[]> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/__control/requests`);
  if (!res.ok) throw new Error(`fake control failed: ${res.status}`);
  return (await res.json()) as FakeRequestRecord[];
}
