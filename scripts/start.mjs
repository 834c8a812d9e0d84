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
 * It is Next's documented custom server (`next()` and its request handler on our own
 * `http.Server`), so each of these is done on the server we own instead of by patching Node's
 * `http` prototypes. Arguments: `-p`/`--port`, `-H`/`--hostname` and `--keepAliveTimeout` (ms), as
 * `next start` takes them (`npm start -- --keepAliveTimeout 70000`).
 */
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = process.env.HOST?.trim() || "127.0.0.1";
const port = process.env.PORT?.trim() || "3000";

// A client has this long to send a whole request (headers and body), instead of Node's 5 minutes:
// a body that never ends no longer holds a connection. Streams being answered are not affected.
const requestTimeout = process.env.REQUEST_TIMEOUT_MS?.trim() || "60000";
if (!/^\d{1,7}$/.test(requestTimeout) || Number(requestTimeout) < 1000) {
  console.error(`\nInvalid configuration:\n  REQUEST_TIMEOUT_MS: must be a whole number of milliseconds, at least 1000 (got "${requestTimeout}")\n`);
  process.exit(1);
}

// `next start`'s arguments: the last of each wins.
const args = process.argv.slice(2);
let boundHost = host;
let boundPort = port;
let keepAliveTimeout;
for (let i = 0; i < args.length; i++) {
  const option = /^(-p|--port|-H|--hostname|--keepAliveTimeout)(?:=(.*))?$/.exec(args[i]);
  if (!option) refuse(`npm start takes -p/--port, -H/--hostname and --keepAliveTimeout; "${args[i]}" is not one of them.`);
  const value = option[2] ?? args[++i];
  if (value === undefined || value === "") refuse(`npm start: ${option[1]} needs a value.`);
  if (option[1] === "-H" || option[1] === "--hostname") boundHost = value;
  else if (option[1] === "-p" || option[1] === "--port") boundPort = value;
  else if (/^\d{1,9}$/.test(value)) keepAliveTimeout = Number(value);
  else refuse(`npm start: --keepAliveTimeout is in milliseconds (got "${value}").`);
}
if (!/^\d{1,5}$/.test(boundPort) || Number(boundPort) < 1 || Number(boundPort) > 65535) {
  console.error(`\nInvalid configuration:\n  PORT: must be a port number from 1 to 65535 (got "${boundPort}")\n`);
  process.exit(1);
}
// The app checks the address against AUTH (lib/server/env.ts).
process.env.BIND_HOST = boundHost;
process.env.UV_THREADPOOL_SIZE ??= "16";
process.env.NODE_ENV = "production";
process.chdir(root);

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: boundHost, port: Number(boundPort) });
const handle = app.getRequestHandler();
await app.prepare();

// Next builds a fetch Request for every request, and undici refuses TRACE and TRACK with a
// TypeError that Next answers as a plain-text 500 (with a stack in the log). Answer them as the
// client errors they are, as proxy.ts does for the other methods no route has.
const REFUSED_METHODS = new Set(["TRACE", "TRACK"]);

const server = createServer(
  {
    requestTimeout: Number(requestTimeout),
    headersTimeout: Math.min(15_000, Number(requestTimeout)),
    // Node looks for late requests this often (30 s by default).
    connectionsCheckingInterval: Math.min(5_000, Number(requestTimeout) / 2),
  },
  (request, response) => {
    // Who connected, from the socket, never the client's word (login throttling, run limits count it).
    request.headers["x-client-address"] = request.socket.remoteAddress ?? "unknown";
    if (REFUSED_METHODS.has(request.method)) {
      const body = JSON.stringify({ error: `${request.method} is not supported here; the API answers GET, HEAD, POST, PATCH and DELETE.` });
      response.writeHead(405, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Allow: "GET, HEAD, POST, PATCH, DELETE", "Cache-Control": "no-store" });
      response.end(body);
      return;
    }
    keepContentLength(response);
    void handle(request, response);
  },
);
if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;

/**
 * Next removes Content-Length from every route handler's answer (its send-response.js), so files
 * would go out chunked, with no size for a download's progress. A route that knows the exact
 * length says it in X-Content-Length; on this answer it becomes the real header.
 */
function keepContentLength(response) {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = (name, value) => {
    const length = Array.isArray(value) ? value.at(-1) : value;
    if (String(name).toLowerCase() === "x-content-length" && /^\d{1,15}$/.test(String(length))) return setHeader("Content-Length", String(length));
    return setHeader(name, value);
  };
}

server.on("error", (error) => {
  console.error(`\nCould not listen on ${boundHost}:${boundPort}: ${error.message}\n`);
  process.exit(1);
});
server.listen(Number(boundPort), boundHost, () => {
  console.log(`▲ Ready on http://${boundHost.includes(":") ? `[${boundHost}]` : boundHost}:${boundPort}`);
});

function refuse(message) {
  console.error(`\n${message}\n`);
  process.exit(1);
}
