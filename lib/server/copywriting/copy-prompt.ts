import "server-only";
import { z } from "zod";
import { COPY_ANGLES, type CopyAngle, type CopyDraft } from "@/lib/copy-writing";
import { TONES } from "@/lib/campaign";
import { COPY_LINES, type CopyLine } from "@/lib/design";
import type { DraftRequest } from "./copy-writer";

/**
 * The one prompt every hosted text model gets, and how its reply is read. Models are told the
 * limits in characters and asked for JSON only; the reply is still read leniently (a code fence or
 * a sentence around the object), since many models add one.
 */

const WHAT_EACH_LINE_IS: Record<CopyLine, string> = {
  headline: "set large over the picture, and shown under it as the ad's headline",
  subline: "one supporting sentence set under the headline on the picture",
  cta: "the button on the picture: a short imperative such as Shop now",
  primaryText: "the post text above the picture in the feed: a hook in the first sentence",
  description: "the link description under the headline",
};

const ANGLE_BRIEFS: Record<CopyAngle, string> = {
  benefit: "lead with what the product does for the reader",
  "social-proof": "lead with why people like the reader choose it, without inventing numbers, ratings or quotes",
  urgency: "give a reason to act now that the brief supports, without inventing deadlines, stock levels or discounts",
  question: "open with a question the audience asks themselves, answered by the product",
};

export const SYSTEM_PROMPT =
  "You are a senior performance-marketing copywriter. You write ad copy that fits each platform's character limits exactly, " +
  "in plain words, and never invent facts (prices, discounts, ratings, numbers of customers, deadlines) the brief does not give. " +
  "Reply with one JSON object and nothing else: no markdown, no comments.";

export function copyPrompt(request: DraftRequest): string {
  const { brief, brandName, angle, lines, limits, platforms, current } = request;
  const wanted = lines.map((line) => `"${line}": at most ${limits[line]} characters, ${WHAT_EACH_LINE_IS[line]}`);
  const avoid = lines.filter((line) => current[line]?.trim()).map((line) => `"${line}": ${JSON.stringify(current[line]!.trim())}`);
  return [
    `Brand: ${brandName}`,
    `Product: ${brief.productName}`,
    `What it is: ${brief.productDescription}`,
    `Audience: ${brief.targetAudience}`,
    `Tone: ${TONES[brief.tone]}`,
    `Angle: ${COPY_ANGLES[angle]}: ${ANGLE_BRIEFS[angle]}`,
    `Runs on: ${platforms}`,
    "",
    "Write these lines. Count characters, spaces included; a line over its limit is refused, so stay well under it:",
    ...wanted,
    ...(avoid.length ? ["", "Say it differently from the current lines:", ...avoid] : []),
    "",
    `Reply as JSON with exactly these keys: ${lines.map((line) => `"${line}"`).join(", ")}.`,
  ].join("\n");
}

/** The follow-up after a reply with lines that did not fit. */
export function correctionPrompt(problems: string[]): string {
  return ["Some lines do not fit:", ...problems, "", "Reply with the whole JSON object again, every line within its limit."].join("\n");
}

const replySchema = z.record(z.string(), z.unknown());

/** The lines found in a model's reply; unknown keys and non-text values are ignored. */
export function readCopyReply(text: string, wanted: readonly CopyLine[]): CopyDraft | null {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  const object = replySchema.safeParse(parsed);
  if (!object.success) return null;
  const lines: CopyDraft = {};
  for (const line of COPY_LINES) {
    const value = object.data[line];
    if (wanted.includes(line) && typeof value === "string") lines[line] = tidyLine(value);
  }
  return lines;
}

/** Whitespace collapsed and wrapping quotes removed: a model's habits, not its words. */
export function tidyLine(value: string): string {
  return value.replace(/\s+/g, " ").trim().replace(/^["“'](.*)["”']$/, "$1").trim();
}
