import "server-only";
import { formatSize, type AdFormatId } from "@/lib/ad-formats";
import type { LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import type { JobRecord } from "../storage/job-records";
import type { RerunSlot } from "../storage/storage";

/** A slot's layout: the one stored for it (chosen on its card, or a layout variant's), else the plan's for it. */
export function slotLayout(plan: { layouts?: (LayoutId | null)[] }, index: number, stored: LayoutId | null | undefined): LayoutId | null {
  return stored ?? plan.layouts?.[index] ?? null;
}

/** Each slot's stored layout before a rerun, with the layout a slot added by "more like this" brings. */
export function rerunLayouts(images: JobRecord["images"], targets: RerunSlot[]): Map<number, LayoutId | null> {
  const layouts = new Map<number, LayoutId | null>(images.map((image) => [image.index, image.layout]));
  for (const target of targets) if (target.layout !== undefined) layouts.set(target.index, target.layout);
  return layouts;
}

/** A slot's format and the size its picture is asked at: its own in a set of several formats, else the job's. */
export function slotFormat(plan: { format: AdFormatId; width: number; height: number; variants?: (CreativeVariant | null)[] }, index: number): { format: AdFormatId; width: number; height: number } {
  const own = plan.variants?.[index]?.format;
  return own && own !== plan.format ? { format: own, ...formatSize(own) } : { format: plan.format, width: plan.width, height: plan.height };
}
