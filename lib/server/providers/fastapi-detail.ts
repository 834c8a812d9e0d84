import "server-only";

/** Where FastAPI says a bad field was; only the field's own path helps the marketer. */
const LOCATIONS = new Set(["body", "query", "path", "header"]);

/**
 * FastAPI's error `detail`, as one line: a string as it is, a validation list (422) as
 * "prompt: field required; width: …". fal's queue API and AUTOMATIC1111's API both answer so.
 */
export function fastApiDetail(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return undefined;
  return detail
    .map((item: { msg?: unknown; loc?: unknown }) => {
      const loc = Array.isArray(item.loc) ? item.loc : [];
      const field = (LOCATIONS.has(String(loc[0])) ? loc.slice(1) : loc).join(".");
      return `${field}: ${typeof item.msg === "string" ? item.msg : "invalid"}`;
    })
    .join("; ");
}
