import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief } from "@/lib/campaign";
import type { CopyAngle, CopyDraft, CopyWriterId, WriteCopyAnswer, WriteCopyInput } from "@/lib/copy-writing";
import { COPY_LINES, type Design, type LayoutId } from "@/lib/design";
import { planVariants, variantKey, variantLabel, type CreativeVariant, type VariantDimension } from "@/lib/variants";
import { OfflineCopyWriter } from "../copywriting/offline-copy-writer";
import { AppError } from "./app-error";
import { writeCopy } from "./write-copy";

export interface PlanVariantsDeps {
  /** The copy writer use case; a hosted writer that fails is replaced by the offline one for that angle. Offline templates only when absent. */
  writeCopy?: (input: WriteCopyInput) => Promise<WriteCopyAnswer>;
}

const templates = new OfflineCopyWriter();
const offlineOnly = (input: WriteCopyInput) => writeCopy({ writers: { huggingface: templates, openai: templates, offline: templates }, timeoutMs: 10_000 }, { ...input, writer: "offline" });

export interface PlannedVariants {
  variants: CreativeVariant[];
  /** Each slot's starting layout (a layout variant's), or null for the design's. */
  layouts: (LayoutId | null)[];
  /** How many distinct pictures the set needs. */
  pictures: number;
}

/**
 * What each creative of a new set tests, with the copy of each angle written for the brief. The
 * first creative keeps the marketer's own copy and layout: the control the others are read against.
 * With `moreFormats`, the set is repeated in each of them after the first format's (the same
 * variants, pictures and copy, which is written once to fit every format's platforms).
 */
export async function planCreativeVariants(
  deps: PlanVariantsDeps,
  input: { brief: CampaignBrief; design: Design; format: AdFormatId; moreFormats?: AdFormatId[]; dimension: VariantDimension; count: number; writer?: CopyWriterId },
): Promise<PlannedVariants> {
  const formats = [...new Set([input.format, ...(input.moreFormats ?? [])])];
  const plans = planVariants(input.dimension, input.count, input.design.layout);
  const angles = [...new Set(plans.map((plan) => plan.angle).filter((angle): angle is CopyAngle => angle !== null))];
  const written = new Map(await Promise.all(angles.map(async (angle) => [angle, await copyFor(deps, { ...input, formats }, angle)] as const)));
  const set = plans.map((plan, index): CreativeVariant => {
    const copy = plan.angle ? written.get(plan.angle) : undefined;
    return {
      dimension: input.dimension,
      label: variantLabel(input.dimension, plan),
      key: variantKey(index, input.dimension, plan),
      picture: plan.picture,
      ...(plan.angle ? { angle: plan.angle } : {}),
      ...(copy ? { copy: copy.lines, writer: copy.writer } : {}),
    };
  });
  const setLayouts = plans.map((plan) => (input.dimension === "layout" || input.dimension === "all" ? plan.layout : null));
  // One format keeps variants as they were (no format of their own: the job's).
  const variants = formats.length === 1 ? set : formats.flatMap((format) => set.map((variant) => ({ ...variant, format })));
  const layouts = formats.flatMap(() => setLayouts);
  return { variants, layouts, pictures: Math.max(...plans.map((plan) => plan.picture)) };
}

async function copyFor(
  deps: PlanVariantsDeps,
  input: { brief: CampaignBrief; design: Design; formats: AdFormatId[]; writer?: CopyWriterId },
  angle: CopyAngle,
): Promise<{ lines: CopyDraft; writer: CopyWriterId }> {
  const current = Object.fromEntries(COPY_LINES.map((line) => [line, input.design[line] ?? ""]));
  const request: WriteCopyInput = { brief: input.brief, brandName: input.design.brandName, formats: input.formats, angle, current, attempt: 0, ...(input.writer ? { writer: input.writer } : {}) };
  try {
    const answer = await (deps.writeCopy ?? offlineOnly)(request);
    return { lines: answer.lines, writer: answer.writer.id };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A hosted writer that is down must not stop the run: the templates always write.
    const offline = await offlineOnly(request);
    return { lines: offline.lines, writer: "offline" };
  }
}
