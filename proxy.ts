import { NextResponse, type NextRequest } from "next/server";

/** Methods the API's route handlers may answer; Next turns any other one into a plain-text 500. */
const API_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Runs before routing, and answers as client errors two requests Next itself would answer with a
 * plain-text 500 and a stack trace in the log:
 * - a method no route handler can have (`TRACE`, `CONNECT`, made-up ones): 405;
 * - a malformed percent-encoding in a path segment (`/api/images/%zz`): 400.
 */
export function proxy(request: NextRequest): NextResponse {
  if (!API_METHODS.has(request.method)) {
    return NextResponse.json(
      { error: `${request.method} is not supported here; the API answers GET, HEAD, POST, PATCH and DELETE.` },
      { status: 405, headers: { ...NO_STORE, Allow: "GET, HEAD, POST, PATCH, DELETE" } },
    );
  }
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json({ error: "The address contains malformed percent-encoding." }, { status: 400, headers: NO_STORE });
  }
  return NextResponse.next();
}

export const config = { matcher: "/api/:path*" };
