import type { AdFormatId } from "./ad-formats";
import type { CampaignBrief, ProviderId } from "./campaign";
import type { Design } from "./design";

/** What a job is, as `creatives.json` opens with it: in the zip download and the command-line client's folder alike. */
export function manifestHeader(job: {
  id: string;
  createdAt: number;
  brief: CampaignBrief;
  design: Design;
  format: AdFormatId;
  width: number;
  height: number;
  provider: ProviderId;
  model: string;
  negativePrompt: string;
}) {
  return {
    jobId: job.id,
    createdAt: new Date(job.createdAt).toISOString(),
    brief: job.brief,
    design: job.design,
    /** The set's first format; each image says its own (a set may be in several). */
    format: job.format,
    width: job.width,
    height: job.height,
    provider: job.provider,
    model: job.model,
    negativePrompt: job.negativePrompt,
  };
}
