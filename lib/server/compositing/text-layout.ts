import "server-only";

/**
 * Fits copy into a box: wraps at word boundaries and shrinks the font until every line fits
 * the width and the block fits the height. Words are never cut; pure so it is unit-tested with
 * a fake measure function.
 */

export type Measure = (text: string, fontSize: number) => number;

export interface FittedText {
  lines: string[];
  fontSize: number;
  lineHeight: number;
  width: number;
  height: number;
}

export function wrapWords(text: string, maxWidth: number, fontSize: number, measure: Measure): string[] | null {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    if (measure(word, fontSize) > maxWidth) return null;
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate, fontSize) <= maxWidth) {
      current = candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

export function fitText(
  text: string,
  box: { width: number; height: number },
  options: { maxFontSize: number; minFontSize: number; maxLines: number; lineHeight: number },
  measure: Measure,
): FittedText | null {
  if (!text.trim()) return { lines: [], fontSize: options.maxFontSize, lineHeight: 0, width: 0, height: 0 };
  // Below the minimum we keep shrinking rather than cut a word or overflow; the floor is legible on any format.
  const floor = Math.min(options.minFontSize, 12);
  for (let size = options.maxFontSize; size >= floor; size -= size > 40 ? 2 : 1) {
    const lines = wrapWords(text, box.width, size, measure);
    if (!lines || lines.length > options.maxLines && size > options.minFontSize) continue;
    const lineHeight = Math.round(size * options.lineHeight);
    const height = lineHeight * lines.length;
    if (height > box.height) continue;
    const width = Math.max(...lines.map((line) => measure(line, size)));
    return { lines, fontSize: size, lineHeight, width, height };
  }
  return null;
}
