import "server-only";
import type { CopyLine, LayoutId } from "@/lib/design";
import { copyLengthIssues } from "@/lib/platform-copy";
import { creativeDesign, creativeFormat, type CreativeVariant } from "@/lib/variants";
import type { Caller } from "../auth/caller";
import { recomposeCreatives, variantWithCopy } from "../jobs/edit-creatives";
import type { ImageRecord } from "../storage/logged-events";
import { AppError } from "./app-error";
import { requireOwnedJob } from "./find-job";
import { editDeps, finishedIndex, finishedJob } from "./finished-job";
import type { UseCaseContext } from "./use-case-context";

export interface CreativeChange {
  layout?: LayoutId;
  /** This creative's own lines (the others keep the set's). */
  copy?: Partial<Record<CopyLine, string>>;
}

/** Another layout, or its own copy, for one finished creative, re-composited from its picture. */
export async function editCreative(context: UseCaseContext, caller: Caller, jobId: string, index: number, change: CreativeChange): Promise<ImageRecord[]> {
  await requireOwnedJob(context, caller, jobId);
  // One writer per job; whether it is finished is read inside, as the edit before it left it.
  return context.jobs.exclusive(jobId, async () => {
    const job = await finishedJob(context, jobId);
    finishedIndex(job, index);
    const image = job.images.find((each) => each.index === index)!;
    const variants = new Map<number, CreativeVariant | null>();
    if (change.copy) {
      const variant = variantWithCopy(image, change.copy);
      const tooLong = copyLengthIssues(creativeDesign(job.design, variant), [creativeFormat(variant, job.format)]);
      if (tooLong.length > 0) throw new AppError("invalid", "Some copy is longer than the platform shows: shorten the fields listed in issues.", { issues: tooLong.map((issue) => ({ path: `copy.${issue.key}`, message: issue.message })) });
      variants.set(index, variant);
    }
    return recomposeCreatives(editDeps(context, caller.workspaceId), job, { design: job.design, indices: [index], ...(change.layout ? { layoutOverride: change.layout } : {}), variants });
  });
}
