import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/server/env";
import { isServedHost } from "@/lib/server/http/served-hosts";

/** Methods the API's route handlers may answer; Next turns any other one into a plain-text 500. */
const API_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Whether a state-changing request comes from a page of this site. Browsers send Origin (and
 * Sec-Fetch-Site) with every POST, PATCH and DELETE; another site's page cannot forge them, so a
 * cookie it would carry along is useless to it. Scripts send neither and are let through: they
 * carry no cookie by accident, they sign in on purpose.
 */
export function isCrossSite(request: Pick<Request, "headers">): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage
  }
  const hosts = [request.headers.get("host")];
  if (process.env.TRUST_PROXY === "true" || process.env.TRUST_PROXY === "1") hosts.push(request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? null);
  if (process.env.APP_URL) {
    try {
      hosts.push(new URL(process.env.APP_URL).host);
    } catch {
      // the app refuses to start with a bad APP_URL; nothing to match here
    }
  }
  return !hosts.includes(originHost);
}

/**
 * Runs before routing. With accounts off, it answers only requests made to a loopback name or
 * address (see served-hosts.ts). On the API, it answers as client errors two requests Next itself would answer with a
 * plain-text 500 and a stack trace in the log:
 * - a method no route handler can have (`TRACE`, `CONNECT`, made-up ones): 405;
 * - a malformed percent-encoding in a path segment (`/api/images/%zz`): 400.
 * And it refuses a state-changing request another site's page sent (403), whether or not
 * accounts are on: a page on the web must not start runs on, or delete from, a local server.
 */
export function proxy(request: NextRequest): NextResponse {
  const { AUTH, APP_URL } = env();
  const host = request.headers.get("host");
  if (AUTH === "off" && !isServedHost(host, APP_URL)) {
    return NextResponse.json(
      {
        error:
          `This server runs without accounts and answers only to loopback names and addresses (localhost, 127.0.0.1), not to ${host}: ` +
          "a page on the web could otherwise reach it through its own name (DNS rebinding). Open it as http://localhost, or set APP_URL to the address people use.",
      },
      { status: 403, headers: NO_STORE },
    );
  }
  if (!request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  const oversized = request.nextUrl.pathname.startsWith("/api/auth/") && STATE_CHANGING.has(request.method) ? authBodyRefusal(request) : undefined;
  if (oversized) return oversized;
  if (!API_METHODS.has(request.method)) {
    return NextResponse.json(
      { error: `${request.method} is not supported here; the API answers GET, HEAD, POST, PATCH and DELETE.` },
      { status: 405, headers: { ...NO_STORE, Allow: "GET, HEAD, POST, PATCH, DELETE" } },
    );
  }
  if (STATE_CHANGING.has(request.method) && isCrossSite(request)) {
    return NextResponse.json(
      { error: "Cross-site requests are refused: this request came from another site's page. Use the app itself, or a script with an API token." },
      { status: 403, headers: NO_STORE },
    );
  }
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json({ error: "The address contains malformed percent-encoding." }, { status: 400, headers: NO_STORE });
  }
  return NextResponse.next();
}

// Pages too (they render campaigns on the server); Next's static files hold nothing of anyone's.
/** The largest body better-auth's endpoints are sent (a sign-up is a few hundred bytes); room for a name that is then refused by field. */
const MAX_AUTH_BODY_BYTES = 4 * 1024 * 1024;

/**
 * better-auth reads a whole body before looking at it, with no limit of its own (a 50 MB sign-up
 * was read into memory); the app's own routes count bytes as they arrive. Here a body must say its
 * length, and not more than that.
 */
function authBodyRefusal(request: NextRequest): NextResponse | undefined {
  const length = request.headers.get("content-length");
  if (length === null) {
    if (request.headers.get("transfer-encoding") === null) return undefined; // no body at all
    return NextResponse.json({ error: "Send the body with a Content-Length: the sign-in endpoints take no streamed bodies." }, { status: 411, headers: NO_STORE });
  }
  if (Number(length) > MAX_AUTH_BODY_BYTES) return NextResponse.json({ error: `The request body is too large: at most ${MAX_AUTH_BODY_BYTES} bytes.` }, { status: 413, headers: { ...NO_STORE, Connection: "close" } });
  return undefined;
}

export const config = { matcher: "/((?!_next/static|_next/image).*)" };
