/** Any origin of ours would do: only whether resolving `next` against it leaves it matters. */
const HERE = "http://this-site.invalid";

/**
 * Where to go after signing in: `next` when it is a path of this site, else "/". It is resolved
 * as the browser will resolve it, not read as text: browsers drop tabs and newlines and read
 * `\` as `/`, so `/\t/evil.example` and `/\evil.example` both lead to another site.
 */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== "string" || raw === "") return "/";
  let resolved: URL;
  try {
    resolved = new URL(raw, HERE);
  } catch {
    return "/";
  }
  if (resolved.origin !== HERE) return "/";
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
