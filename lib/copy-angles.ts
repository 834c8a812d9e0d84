import { z } from "zod";
import { COPY_LINES, type CopyLine } from "./design";

/** The words of copy variants, apart from the brief (so the run request can name them without a cycle). */

/** What a copy variant tests: the reason a reader would click, one per variant. */
export const COPY_ANGLES = {
  benefit: "Benefit",
  "social-proof": "Social proof",
  urgency: "Urgency",
  question: "Question",
} as const;
export type CopyAngle = keyof typeof COPY_ANGLES;
export const COPY_ANGLE_IDS = Object.keys(COPY_ANGLES) as [CopyAngle, ...CopyAngle[]];

export const COPY_WRITER_IDS = ["huggingface", "openai", "offline"] as const;
export type CopyWriterId = (typeof COPY_WRITER_IDS)[number];

export const copyLineSchema = z.enum(COPY_LINES, { error: `lines must be some of: ${COPY_LINES.join(", ")}` });
export const copyDraftSchema = z.partialRecord(copyLineSchema, z.string());
export type CopyDraft = Partial<Record<CopyLine, string>>;
