/**
 * `npm start`: the built app on HOST:PORT (127.0.0.1:3000 unless set), in this process.
 * - Binds to loopback by default, like ComfyUI, AUTOMATIC1111 and Jupyter. HOST=0.0.0.0 opens it
 *   to the network, and then people sign in (AUTH defaults to on for any other address; the app
 *   learns the address from BIND_HOST, set here).
 * - Says who connected in X-Client-Address (the socket's address, never the client's word), which
 *   login throttling counts by; behind a proxy, TRUST_PROXY=true counts X-Forwarded-For instead.
 * - Hands SIGTERM/SIGINT to the app (lib/server/startup.ts), which lets images in flight finish
 *   and leaves the rest to resume at the next start, instead of Next's handler exiting at once.
 * - More libuv threads, so file writes do not queue behind image work (set here, not with shell
 *   syntax, so it works on every OS).
 * - Answers TRACE/TRACK with a 405 and gives a request REQUEST_TIMEOUT_MS to arrive (see below).
 * Extra arguments go to `next start` (`npm start -- --keepAliveTimeout 70000`).
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = process.env.HOST?.trim() || "127.0.0.1";
const port = process.env.PORT?.trim() || "3000";
if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`\nInvalid configuration:\n  PORT: must be a port number from 1 to 65535 (got "${port}")\n`);
  process.exit(1);
}

// Next removes Content-Length from every route handler's answer (its send-response.js), so files
// would go out chunked, with no size for a download's progress. A route that knows the exact
// length says it in X-Content-Length; here it becomes the real header (once, for every answer).
const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function setHeaderKeepingLength(name, value) {
  const length = Array.isArray(value) ? value.at(-1) : value;
  if (String(name).toLowerCase() === "x-content-length" && /^\d{1,15}$/.test(String(length))) return setHeader.call(this, "Content-Length", String(length));
  return setHeader.call(this, name, value);
};

// A client has this long to send a whole request (headers and body), instead of Node's 5 minutes:
// a body that never ends no longer holds a connection. Streams being answered are not affected.
const requestTimeout = process.env.REQUEST_TIMEOUT_MS?.trim() || "60000";
if (!/^\d{1,7}$/.test(requestTimeout) || Number(requestTimeout) < 1000) {
  console.error(`\nInvalid configuration:\n  REQUEST_TIMEOUT_MS: must be a whole number of milliseconds, at least 1000 (got "${requestTimeout}")\n`);
  process.exit(1);
}

// Next builds a fetch Request for every request, and undici refuses TRACE and TRACK with a
// TypeError that Next answers as a plain-text 500 (with a stack in the log). Answer them as the
// client errors they are, as proxy.ts does for the other methods no route has.
const REFUSED_METHODS = new Set(["TRACE", "TRACK"]);
const createServer = http.createServer;
http.createServer = function createAppServer(...args) {
  const at = args.findIndex((arg) => typeof arg === "function");
  if (at >= 0) {
    const listener = args[at];
    args[at] = (request, response) => {
      request.headers["x-client-address"] = request.socket.remoteAddress ?? "unknown";
      if (!REFUSED_METHODS.has(request.method)) return listener(request, response);
      const body = JSON.stringify({ error: `${request.method} is not supported here; the API answers GET, HEAD, POST, PATCH and DELETE.` });
      response.writeHead(405, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Allow: "GET, HEAD, POST, PATCH, DELETE", "Cache-Control": "no-store" });
      response.end(body);
    };
  }
  const server = createServer.apply(this, args);
  server.requestTimeout = Number(requestTimeout);
  // Node looks for late requests this often (30 s by default); read when the server starts listening.
  server.connectionsCheckingInterval = Math.min(5_000, Number(requestTimeout) / 2);
  server.headersTimeout = Math.min(15_000, Number(requestTimeout));
  return server;
};

// The last -H/--hostname wins, as in `next start`; the app checks it against AUTH (lib/server/env.ts).
const args = process.argv.slice(2);
let boundHost = host;
for (let i = 0; i < args.length - 1; i++) if (args[i] === "-H" || args[i] === "--hostname") boundHost = args[i + 1];
process.env.BIND_HOST = boundHost;

process.env.NEXT_MANUAL_SIG_HANDLE ??= "true";
process.env.UV_THREADPOOL_SIZE ??= "16";
process.chdir(root);
process.argv = [process.argv[0], path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", host, "-p", port, ...process.argv.slice(2)];
await import("next/dist/bin/next");
