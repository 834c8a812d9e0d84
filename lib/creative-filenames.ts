/** How downloaded creatives are named, in the zip and by the command-line client alike. */

export function slugify(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "creative";
}

const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/**
 * `aurora-cold-brew-03.jpg`: the campaign's product, the slot from 1, the type's extension; a
 * creative of a set in several formats says its format too (`aurora-cold-brew-07-story.jpg`).
 */
export function creativeFilename(productName: string, index: number, mimeType: string, ownFormat?: string): string {
  return `${slugify(productName)}-${String(index + 1).padStart(2, "0")}${ownFormat ? `-${ownFormat}` : ""}.${EXTENSIONS[mimeType] ?? "png"}`;
}
