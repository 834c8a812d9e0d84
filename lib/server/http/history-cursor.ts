import "server-only";

/** The opaque cursor of a history page, for the API's `nextCursor` and the History page's links. */
export function encodeCursor(cursor: { createdAt: number; id: string }): string {
  return Buffer.from(`${cursor.createdAt}:${cursor.id}`).toString("base64url");
}

export function decodeCursor(raw: string | null): { createdAt: number; id: string } | undefined | "invalid" {
  if (!raw) return undefined;
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const match = /^(\d{1,15}):([A-Za-z0-9_-]{16})$/.exec(text);
  return match ? { createdAt: Number(match[1]), id: match[2]! } : "invalid";
}
