import "server-only";
import sharp from "sharp";
import { rasteriseSvg } from "./svg-rasteriser";

/**
 * What an uploaded logo is, whether it is safe and cheap to draw, and the PNG it becomes: pure
 * work on bytes, run on the image workers.
 */

const MAX_LOGO_SIDE = 600;
const LOGO_TIME_BUDGET_S = 3;

type Sniffed = "png" | "jpeg" | "webp" | "svg" | null;

/** What the bytes are, whatever the file name or Content-Type claims. */
export function sniffLogo(bytes: Buffer): Sniffed {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP") return "webp";
  const head = bytes.subarray(0, 4096).toString("utf8").replace(/^\uFEFF/, "");
  const withoutProlog = head.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/, "");
  if (/^<svg[\s>]/i.test(withoutProlog) || /^<!DOCTYPE\s+svg/i.test(withoutProlog)) return "svg";
  return null;
}

/**
 * Why an SVG may not be rasterised, or null when it is safe. librsvg runs no scripts, but it
 * would follow external references (files, URLs), so anything that points outside the document
 * is refused, along with scripts and entity tricks.
 */
export function unsafeSvgReason(svg: string): string | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(svg)) return "SVG logos may not contain DOCTYPE or ENTITY declarations";
  if (/<script[\s>]/i.test(svg)) return "SVG logos may not contain scripts";
  if (/<foreignObject[\s>]/i.test(svg)) return "SVG logos may not contain foreignObject";
  if (/\son[a-z]+\s*=/i.test(svg)) return "SVG logos may not contain event handlers (on…= attributes)";
  if (/javascript:/i.test(svg)) return "SVG logos may not contain javascript: links";
  if (/@import/i.test(svg)) return "SVG logos may not import style sheets";
  for (const match of svg.matchAll(/(?:xlink:)?href\s*=\s*(["'])(.*?)\1/gi)) {
    const target = match[2]!.trim();
    if (!target.startsWith("#") && !/^data:image\/(png|jpeg|webp);base64,/i.test(target)) return "SVG logos may not reference external files or URLs";
  }
  for (const match of svg.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)) {
    if (!match[2]!.trim().startsWith("#")) return "SVG logos may not reference external files or URLs";
  }
  return tooComplexSvgReason(svg);
}

/** A logo is a few hundred shapes; past these it is an attack or a mistake, refused before drawing. */
const MAX_SVG_ELEMENTS = 5_000;
const MAX_SVG_USES = 200;

/**
 * Refuses an SVG whose drawing cost explodes, by its structure, before anything is drawn: too
 * many elements, too many `<use>` copies, or a `<use>` of something that itself contains `<use>`
 * (nested copies multiply: ten levels of ten copies are ten billion shapes from 2 KB).
 */
export function tooComplexSvgReason(svg: string): string | null {
  const open: { name: string; id?: string }[] = [];
  const containsUse = new Set<string>();
  const useTargets: string[] = [];
  let elements = 0;
  for (const tag of svg.matchAll(/<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name, attributes, selfClosing] = tag;
    if (closing) {
      const at = open.findLastIndex((element) => element.name === name);
      if (at >= 0) open.length = at;
      continue;
    }
    if (++elements > MAX_SVG_ELEMENTS) return `SVG logos may have at most ${MAX_SVG_ELEMENTS} elements`;
    if (name!.toLowerCase() === "use") {
      if (useTargets.length >= MAX_SVG_USES) return `SVG logos may have at most ${MAX_SVG_USES} <use> copies`;
      const target = /(?:xlink:)?href\s*=\s*(["'])#(.*?)\1/i.exec(attributes!)?.[2];
      if (target) useTargets.push(target);
      for (const ancestor of open) if (ancestor.id) containsUse.add(ancestor.id);
    }
    if (!selfClosing) open.push({ name: name!, id: /\sid\s*=\s*(["'])(.*?)\1/i.exec(attributes!)?.[2] });
  }
  if (useTargets.some((target) => containsUse.has(target))) return "SVG logos may not copy (<use>) an element that itself contains copies";
  return null;
}

const TOO_COMPLEX = { ok: false, code: "invalid", error: "That logo is too complex to draw. Simplify it, or upload a PNG." } as const;

export type LogoResult = { ok: true; png: Buffer; width: number; height: number } | { ok: false; code: "invalid" | "unsupported-media"; error: string };

/** Validates and normalises an uploaded logo to a PNG at most 600 px on its longer side. */
export async function normaliseLogo(bytes: Buffer): Promise<LogoResult> {
  if (bytes.length === 0) return { ok: false, code: "invalid", error: "The upload is empty: choose a PNG, JPEG, WebP or SVG logo." };
  const kind = sniffLogo(bytes);
  if (!kind) return { ok: false, code: "unsupported-media", error: "That file is not a PNG, JPEG, WebP or SVG image. Upload the logo in one of those formats." };
  if (kind === "svg") {
    const reason = unsafeSvgReason(bytes.toString("utf8"));
    if (reason) return { ok: false, code: "invalid", error: `${reason}. Export the logo again as a plain SVG or PNG.` };
    const drawn = await rasteriseSvg(bytes, { maxSide: MAX_LOGO_SIDE, deadlineMs: LOGO_TIME_BUDGET_S * 1000 });
    if (!drawn.ok) return drawn.reason === "too-slow" ? TOO_COMPLEX : { ok: false, code: "invalid", error: "That SVG could not be read: it is malformed. Export it again or upload a PNG." };
    const { width, height } = await sharp(drawn.png).metadata();
    return { ok: true, png: drawn.png, width: width!, height: height! };
  }
  try {
    // The time budget stops a picture that is still too costly to decode (libvips checks it as it goes).
    const image = sharp(bytes, { failOn: "error", limitInputPixels: 40_000_000 }).timeout({ seconds: LOGO_TIME_BUDGET_S });
    const metadata = await image.metadata();
    if (!metadata.width || !metadata.height) throw new Error("no size");
    const { data, info } = await image
      .resize(MAX_LOGO_SIDE, MAX_LOGO_SIDE, { fit: "inside", withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
    return { ok: true, png: data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof Error && /timeout/i.test(error.message)) return TOO_COMPLEX;
    return { ok: false, code: "invalid", error: `That ${kind.toUpperCase()} file is damaged or incomplete.` };
  }
}
