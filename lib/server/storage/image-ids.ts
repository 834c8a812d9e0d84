import "server-only";
import { randomBytes } from "node:crypto";
import type { ImageExtension } from "./storage";

/**
 * Stored images are named by 128 random bits and an extension, whichever store keeps them; the
 * routes accept only that exact shape, so no request can name a path or key of anything else.
 */
const ID_PATTERN = /^[0-9a-f]{32}\.(png|jpg|webp)$/;
const MIME_BY_EXTENSION: Record<ImageExtension, string> = { png: "image/png", jpg: "image/jpeg", webp: "image/webp" };

export function newImageId(extension: ImageExtension): string {
  return `${randomBytes(16).toString("hex")}.${extension}`;
}

export function isImageId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function mimeTypeOf(id: string): string {
  return MIME_BY_EXTENSION[id.slice(id.lastIndexOf(".") + 1) as ImageExtension] ?? "application/octet-stream";
}
