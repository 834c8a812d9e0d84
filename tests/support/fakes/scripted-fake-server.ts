/**
 * The engine of the scripted fake providers (fakes/hf-endpoint.ts, fakes/pollinations-legacy.ts):
 * an HTTP server on 127.0.0.1 that answers each request with the next behaviour of its script
 * (a picture, a status, a hang, a reset, a bad body, ...; see fault-script.ts) in the protocol's
 * own shape, records what it was asked, and takes scripts from another process on /__control.
 * Only node built-ins and sharp are imported, so Vitest and Playwright's loader can both load it.
 */
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { detailedImage, fakeImage, type FakeImageFormat } from "./fake-image";
import { isNum, isRecord, parseBehaviour, type FakeBehaviour, type FakeRequestRecord } from "./fault-script";

/** What makes one protocol different: which requests it takes and where the prompt and size are. */
export interface ScriptedProtocol {
  name: string;
  imageFormat: FakeImageFormat;
  imageType: string;
  /** The model named in a "loading" answer (503 + estimated_time). */
  loadingModel: string;
  /** Refuses what the protocol never accepts (wrong method or path), before the script is consumed. */
  refuse(method: string, url: URL): Refusal | null;
  /** Reads prompt, size, seed and body into the record; a refusal for a request it cannot read. */
  read(request: IncomingMessage, url: URL, record: FakeRequestRecord): Promise<Refusal | null>;
}

export interface Refusal {
  status: number;
  error: string;
  headers?: Record<string, string>;
}

const DEFAULT_SIZE = 1024;
const DEFAULT_WAIT_MS = 10_000;

export interface FakeProvider {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  /** Live array (cleared in place by reset()). */
  requests: FakeRequestRecord[];
  /** Requests whose connection is still open. */
  openRequests(): number;
  /** Delay before answering "ok". */
  setLatency(ms: number): void;
  /** Behaviour used when the script is empty (default ok). */
  setDefault(b: FakeBehaviour): void;
  /** Appends one-shot behaviours, consumed in request-arrival order. */
  script(...bs: FakeBehaviour[]): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Until openRequests() === 0. */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Clears script and records, latency back to its initial value, default back to ok. */
  reset(): void;
  /** Force-closes all sockets. */
  close(): Promise<void>;
}

export interface FakeProviderOptions {
  port?: number;
  latencyMs?: number;
  requireToken?: string;
  /** "ok" answers are pictures of random pixels instead of one colour (their previews are too large to inline). */
  detailed?: boolean;
}

interface ParsedRequest {
  body: unknown;
  prompt: string;
  width: number;
  height: number;
  seed?: number;
}

function defaultErrorText(status: number): string {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Invalid credentials in Authorization header";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Rate limit reached. You reached free usage limit (reset hourly).";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return `HTTP ${status}`;
  }
}

const HTML_ERROR_PAGE =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>" +
  "<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n";

function flattenHeaders(h: IncomingMessage["headers"]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export function toNumber(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "string" && x.trim() !== "") {
    const n = Number(x);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

export function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: string | null): void => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        finish(null);
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => finish(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => finish(null));
    req.on("close", () => finish(done ? null : Buffer.concat(chunks).toString("utf8")));
  });
}

export function startScriptedFake(protocol: ScriptedProtocol, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const initialLatency = options.latencyMs ?? 0;
  const { imageFormat, imageType } = protocol;

  let latencyMs = initialLatency;
  let defaultBehaviour: FakeBehaviour = { kind: "ok" };
  const queue: FakeBehaviour[] = [];
  const requests: FakeRequestRecord[] = [];
  const open = new Set<number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  let nextId = 1;
  let closing = false;

  const notify = (): void => {
    for (const w of [...waiters]) w();
  };

  const waitUntil = (pred: () => boolean, timeoutMs: number, what: () => string): Promise<void> => {
    if (pred()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = (): void => {
        if (pred()) {
          cleanup();
          resolve();
        } else if (closing) {
          cleanup();
          reject(new Error(`fake ${protocol.name} closed while waiting for ${what()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake ${protocol.name}: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      waiters.add(check);
    });
  };

  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const alive = (res: ServerResponse): boolean => !res.destroyed && !res.writableEnded && !closing;

  const sendJson = (res: ServerResponse, status: number, obj: unknown, extra: Record<string, string> = {}): void => {
    if (!alive(res) || res.headersSent) return;
    const buf = Buffer.from(JSON.stringify(obj));
    res.writeHead(status, { "content-type": "application/json", "content-length": String(buf.length), ...extra });
    res.end(buf);
  };

  const sendBytes = (res: ServerResponse, status: number, contentType: string, buf: Buffer): void => {
    if (!alive(res) || res.headersSent) return;
    res.writeHead(status, { "content-type": contentType, "content-length": String(buf.length) });
    res.end(buf);
  };

  const sleepUnlessClosed = (ms: number, res: ServerResponse): Promise<void> =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || !alive(res)) {
        resolve();
        return;
      }
      const onClose = (): void => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      };
      const t = later(ms, () => {
        res.off("close", onClose);
        resolve();
      });
      res.once("close", onClose);
    });

  const control = {
    setLatency(ms: number): void {
      latencyMs = Math.max(0, ms);
    },
    setDefault(b: FakeBehaviour): void {
      defaultBehaviour = b;
    },
    script(...bs: FakeBehaviour[]): void {
      queue.push(...bs);
    },
    reset(): void {
      queue.length = 0;
      requests.length = 0;
      latencyMs = initialLatency;
      defaultBehaviour = { kind: "ok" };
      notify();
    },
  };

  async function act(b: FakeBehaviour, res: ServerResponse, p: ParsedRequest, markDestroyed: () => void): Promise<void> {
    switch (b.kind) {
      case "ok": {
        await sleepUnlessClosed(b.latencyMs ?? latencyMs, res);
        if (!alive(res)) return;
        const img = options.detailed ? await detailedImage(p.width, p.height, imageFormat) : await fakeImage(p.width, p.height, imageFormat, p.seed);
        sendBytes(res, 200, imageType, img);
        return;
      }
      case "loading":
        sendJson(res, 503, {
          error: `Model ${protocol.loadingModel} is currently loading`,
          estimated_time: b.estimatedTime,
        });
        return;
      case "status":
        sendJson(
          res,
          b.status,
          { error: b.body ?? defaultErrorText(b.status) },
          b.retryAfter !== undefined ? { "retry-after": b.retryAfter } : {},
        );
        return;
      case "hang":
        return; // the record stays open until the client goes away (or close())
      case "reset": {
        const img = await fakeImage(p.width, p.height, imageFormat, p.seed);
        if (!alive(res)) return;
        res.writeHead(200, { "content-type": imageType, "content-length": String(img.length) });
        res.flushHeaders();
        res.write(img.subarray(0, Math.max(1, Math.floor(img.length / 2))));
        later(20, () => {
          if (res.destroyed) return;
          markDestroyed();
          res.destroy();
        });
        return;
      }
      case "html":
        sendBytes(res, 200, imageType, Buffer.from(HTML_ERROR_PAGE));
        return;
      case "truncated": {
        const img = await fakeImage(p.width, p.height, imageFormat, p.seed);
        sendBytes(res, 200, imageType, img.subarray(0, Math.floor(img.length / 2)));
        return;
      }
      case "empty":
        sendBytes(res, 200, imageType, Buffer.alloc(0));
        return;
      case "drip": {
        const img = await fakeImage(p.width, p.height, imageFormat, p.seed);
        if (!alive(res)) return;
        res.writeHead(200, { "content-type": imageType, "content-length": String(img.length) });
        res.flushHeaders();
        let i = 0;
        const interval = setInterval(
          () => {
            if (!alive(res)) {
              stop();
              return;
            }
            res.write(img.subarray(i, i + 1));
            i += 1;
            if (i >= img.length) {
              stop();
              res.end();
            }
          },
          Math.max(1, b.intervalMs),
        );
        const stop = (): void => {
          clearInterval(interval);
          timers.delete(interval);
        };
        timers.add(interval);
        res.once("close", stop);
        return;
      }
      case "oversized": {
        const img = await fakeImage(b.width, b.height, imageFormat, p.seed);
        sendBytes(res, 200, imageType, img);
        return;
      }
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method === "GET" && pathname === "/__control") {
      sendJson(res, 200, { requests: requests.length, open: open.size });
      return;
    }
    if (req.method === "GET" && pathname === "/__control/requests") {
      sendJson(res, 200, requests);
      return;
    }
    if (req.method !== "POST" || pathname !== "/__control") {
      sendJson(res, req.method === "POST" || req.method === "GET" ? 404 : 405, { error: "unknown control route" });
      return;
    }
    const raw = await readBody(req);
    let cmd: unknown;
    try {
      cmd = raw === null || raw.trim() === "" ? {} : JSON.parse(raw);
    } catch {
      sendJson(res, 400, { error: "control body is not JSON" });
      return;
    }
    if (!isRecord(cmd)) {
      sendJson(res, 400, { error: "control body must be an object" });
      return;
    }
    let script: FakeBehaviour[] | undefined;
    if (cmd.script !== undefined) {
      if (!Array.isArray(cmd.script)) {
        sendJson(res, 400, { error: "script must be an array" });
        return;
      }
      script = [];
      for (const item of cmd.script) {
        const b = parseBehaviour(item);
        if (!b) {
          sendJson(res, 400, { error: `invalid behaviour: ${JSON.stringify(item)}` });
          return;
        }
        script.push(b);
      }
    }
    let def: FakeBehaviour | undefined;
    if (cmd.default !== undefined) {
      const b = parseBehaviour(cmd.default);
      if (!b) {
        sendJson(res, 400, { error: `invalid default behaviour: ${JSON.stringify(cmd.default)}` });
        return;
      }
      def = b;
    }
    if (cmd.latencyMs !== undefined && !isNum(cmd.latencyMs)) {
      sendJson(res, 400, { error: "latencyMs must be a number" });
      return;
    }
    if (cmd.reset === true) control.reset();
    if (isNum(cmd.latencyMs)) control.setLatency(cmd.latencyMs);
    if (def) control.setDefault(def);
    if (script) control.script(...script);
    sendJson(res, 200, { ok: true, requests: requests.length, open: open.size });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/__control" || url.pathname.startsWith("/__control/")) {
      await handleControl(req, res, url.pathname);
      return;
    }

    const id = nextId++;
    open.add(id);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const record: FakeRequestRecord = {
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      headers: flattenHeaders(req.headers),
      body: undefined,
      prompt: "",
      width: DEFAULT_SIZE,
      height: DEFAULT_SIZE,
      startedAt: Date.now(),
    };
    let recorded = false;
    const pushRecord = (): void => {
      if (recorded) return;
      recorded = true;
      requests.push(record);
      notify();
    };
    let destroyedByUs = false;
    res.once("close", () => {
      record.endedAt = Date.now();
      record.outcome = res.writableFinished
        ? "answered"
        : destroyedByUs || closing
          ? "destroyed"
          : "aborted-by-client";
      open.delete(id);
      pushRecord();
      notify();
    });
    const markDestroyed = (): void => {
      destroyedByUs = true;
    };

    // Requests the protocol never accepts do not consume the script.
    const refusal = protocol.refuse(req.method ?? "GET", url);
    if (refusal) {
      pushRecord();
      sendJson(res, refusal.status, { error: refusal.error }, refusal.headers);
      return;
    }
    if (options.requireToken !== undefined && req.headers.authorization !== `Bearer ${options.requireToken}`) {
      pushRecord();
      sendJson(res, 401, { error: "Invalid credentials in Authorization header" });
      return;
    }

    // Consume the behaviour in arrival order, before any await.
    const behaviour = queue.shift() ?? defaultBehaviour;
    const invalid = await protocol.read(req, url, record);
    pushRecord();
    if (invalid) {
      sendJson(res, invalid.status, { error: invalid.error });
      return;
    }

    const parsed: ParsedRequest = { body: record.body, prompt: record.prompt, width: record.width, height: record.height };
    if (record.seed !== undefined) parsed.seed = record.seed;
    await act(behaviour, res, parsed, markDestroyed);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      try {
        if (alive(res) && !res.headersSent) {
          sendJson(res, 500, { error: `fake ${protocol.name} internal error: ${String(err)}` });
        } else if (!res.destroyed) {
          res.destroy();
        }
      } catch {
        // never throw out of the fake
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_err: Error, socket) => {
    socket.destroy();
  });
  server.on("error", () => undefined);

  return new Promise<FakeProvider>((resolve, reject) => {
    const onListenError = (err: Error): void => reject(err);
    server.once("error", onListenError);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", onListenError);
      const port = (server.address() as AddressInfo).port;
      const fake: FakeProvider = {
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        openRequests: () => open.size,
        setLatency: control.setLatency,
        setDefault: control.setDefault,
        script: control.script,
        reset: control.reset,
        waitForRequests: (n, timeoutMs = DEFAULT_WAIT_MS) =>
          waitUntil(
            () => requests.length >= n,
            timeoutMs,
            () => `${n} request(s) (have ${requests.length})`,
          ),
        waitForIdle: (timeoutMs = DEFAULT_WAIT_MS) =>
          waitUntil(
            () => open.size === 0,
            timeoutMs,
            () => `idle (${open.size} request(s) still open)`,
          ),
        close: () =>
          new Promise<void>((res) => {
            closing = true;
            for (const t of timers) clearTimeout(t);
            timers.clear();
            server.close(() => res());
            server.closeAllConnections();
            for (const s of sockets) s.destroy();
            notify();
          }),
      };
      resolve(fake);
    });
  });
}
