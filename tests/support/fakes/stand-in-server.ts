/**
 * The plumbing every provider stand-in shares: an HTTP server on 127.0.0.1 (a free port unless
 * one is given), a log of the requests it answered, and helpers to answer JSON or bytes.
 * Only node built-ins are imported, so Vitest and Playwright's loader can both load it.
 */
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  /** Which of a stand-in's servers answered ("hub", "router", "cdn", "gen", "legacy"). */
  server: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  startedAt: number;
  endedAt?: number;
  /** "aborted-by-client": the caller hung up before the answer was complete. */
  outcome?: "answered" | "aborted-by-client";
}

export interface StandInServer {
  url: string;
  port: number;
  /** Requests whose answer is not finished yet. */
  open(): number;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, record: RecordedRequest) => Promise<void> | void;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { "content-type": "application/json", "content-length": String(bytes.length), ...headers });
  response.end(bytes);
}

export function sendBytes(response: ServerResponse, contentType: string, bytes: Buffer): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(200, { "content-type": contentType, "content-length": String(bytes.length) });
  response.end(bytes);
}

/** Resolves after `ms`, or early when the caller hangs up. */
export function pause(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || response.destroyed) return resolve();
    const timer = setTimeout(done, ms);
    response.once("close", done);
    function done() {
      clearTimeout(timer);
      response.off("close", done);
      resolve();
    }
  });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", () => resolve(Buffer.alloc(0)));
  });
}

const rawBodies = new WeakMap<RecordedRequest, Buffer>();

/** A request's body as bytes (a multipart upload); its `body` holds what the handler made of it. */
export function rawBody(record: RecordedRequest): Buffer {
  return rawBodies.get(record) ?? Buffer.alloc(0);
}

/** A `multipart/form-data` body (an SDK's file upload), parsed by the platform's own `Response`. */
export function readFormData(record: RecordedRequest): Promise<FormData> {
  return new Response(new Uint8Array(rawBody(record)), { headers: { "content-type": record.headers["content-type"] ?? "" } }).formData();
}

/** Starts one server; every request is recorded in `log` (with its body) before `handler` runs. */
export function startStandInServer(name: string, log: RecordedRequest[], handler: Handler, port = 0, onServer?: (server: http.Server) => void): Promise<StandInServer> {
  const sockets = new Set<Socket>();
  let open = 0;
  const server = http.createServer((request, response) => {
    open++;
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value.join(", ") : value;
    const record: RecordedRequest = {
      server: name,
      method: request.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      startedAt: Date.now(),
    };
    response.once("close", () => {
      open--;
      record.endedAt = Date.now();
      record.outcome = response.writableFinished ? "answered" : "aborted-by-client";
    });
    response.on("error", () => undefined);
    void readBody(request)
      .then(async (bytes) => {
        rawBodies.set(record, bytes);
        // Binary uploads are left to the handler; JSON and text bodies are recorded as read.
        const text = (record.headers["content-type"] ?? "").startsWith("multipart/") ? "" : bytes.toString("utf8");
        if (text) {
          try {
            record.body = JSON.parse(text);
          } catch {
            record.body = text;
          }
        }
        log.push(record);
        await handler(request, response, record);
      })
      .catch((error: unknown) => sendJson(response, 500, { error: `stand-in ${name} failed: ${String(error)}` }));
  });
  onServer?.(server);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        port: bound,
        open: () => open,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
