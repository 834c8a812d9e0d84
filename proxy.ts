import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs before routing. A malformed percent-encoding in a path segment (`/api/images/%zz`) would
 * otherwise reach Next's own parameter decoding and come back as a plain-text 500; answer it as the
 * client error it is.
 */
export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json({ error: "The address contains malformed percent-encoding." }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  return NextResponse.next();
}

export const config = { matcher: "/api/:path*" };
