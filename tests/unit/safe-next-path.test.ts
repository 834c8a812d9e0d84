import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/safe-next-path";

describe("safeNextPath: where sign-in may lead", () => {
  it.each([
    ["/\t/evil.example/x", "tab dropped by browsers, leaving //"],
    ["/\n/evil.example/x", "newline, the same"],
    ["//evil.example/x", "protocol-relative"],
    ["/\\evil.example/x", "a backslash browsers read as /"],
    ["\\\\evil.example", "two backslashes"],
    ["https://evil.example/x", "absolute"],
    ["javascript:alert(1)", "a script"],
    ["http://this-site.invalid.evil.example/", "our placeholder's name inside another host"],
  ])("drops %j (%s)", (raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });

  it("keeps a path of this site with its query and fragment, normalised as the browser would", () => {
    expect(safeNextPath("/history?cursor=abc#top")).toBe("/history?cursor=abc#top");
    expect(safeNextPath("/invite/abc123")).toBe("/invite/abc123");
    expect(safeNextPath("/a/../workspace")).toBe("/workspace");
  });

  it("answers / to nothing, or to what is not text", () => {
    for (const raw of [undefined, "", ["/x"], 42]) expect(safeNextPath(raw)).toBe("/");
  });
});
