import { z } from "zod";
import { AD_FORMAT_IDS } from "./ad-formats";
import { campaignBriefSchema } from "./campaign";
import { COPY_LIMITS, COPY_LINES, type CopyLine } from "./design";
import { textField } from "./text-field";
import { COPY_ANGLE_IDS, COPY_WRITER_IDS, copyDraftSchema, copyLineSchema } from "./copy-angles";

export { COPY_ANGLES, COPY_ANGLE_IDS, COPY_WRITER_IDS, copyDraftSchema, type CopyAngle, type CopyDraft, type CopyWriterId } from "./copy-angles";

/** The copy writer's request and answer, shared by the form and the API edge. */

export const COPY_LINE_LABELS: Record<CopyLine, string> = {
  headline: "Headline",
  subline: "Subline",
  cta: "Call to action",
  primaryText: "Primary text",
  description: "Description",
};

const lineSchema = copyLineSchema;

export const writeCopyRequestSchema = z
  .object({
    brief: campaignBriefSchema,
    brandName: textField("the brand name", COPY_LIMITS.brandName),
    /** The formats the copy runs in: each line fits every one of their platforms. */
    formats: z.array(z.enum(AD_FORMAT_IDS, { error: `formats must be some of: ${AD_FORMAT_IDS.join(", ")}` })).min(1, "Pick at least one format.").max(AD_FORMAT_IDS.length),
    angle: z.enum(COPY_ANGLE_IDS, { error: `angle must be one of: ${COPY_ANGLE_IDS.join(", ")}` }).default("benefit"),
    /** Only these lines (a "Write again" for one line); all of them when absent. */
    lines: z.array(lineSchema).min(1).max(COPY_LINES.length).optional(),
    writer: z.enum(COPY_WRITER_IDS, { error: `writer must be one of: ${COPY_WRITER_IDS.join(", ")}` }).optional(),
    /** The lines as they are now, so a new draft says something else. */
    current: z.partialRecord(lineSchema, z.string().max(COPY_LIMITS.primaryText)).optional(),
    /** Another draft of the same request: the offline writer picks other templates. */
    attempt: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export type WriteCopyRequest = z.input<typeof writeCopyRequestSchema>;
export type WriteCopyInput = z.output<typeof writeCopyRequestSchema>;


export const copyWriterInfoSchema = z.object({
  id: z.enum(COPY_WRITER_IDS),
  label: z.string(),
  model: z.string().nullable(),
  available: z.boolean(),
  reason: z.string().optional().describe("why it cannot be chosen, phrased as what to do"),
});
export type CopyWriterInfo = z.infer<typeof copyWriterInfoSchema>;

export const writeCopyAnswerSchema = z.object({
  writer: copyWriterInfoSchema,
  angle: z.enum(COPY_ANGLE_IDS),
  lines: copyDraftSchema,
  /** Lines written again, or taken from the offline writer, and why. */
  notes: z.array(z.string()),
  limits: z.record(z.string(), z.number()).describe("each line's limit on the formats' platforms"),
});
export type WriteCopyAnswer = z.infer<typeof writeCopyAnswerSchema>;

export const copyWritersAnswerSchema = z.object({ writers: z.array(copyWriterInfoSchema) });
