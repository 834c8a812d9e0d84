import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief, ProviderId } from "@/lib/campaign";
import type { BuiltinPresetId, Design, LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";

/** Jobs and their images as the core sees them, whichever database keeps them. */

export type JobStatus = "running" | "completed" | "cancelled" | "interrupted";
export type ImageStatus = "pending" | "done" | "failed" | "cancelled" | "interrupted";

export interface ImageRecord {
  index: number;
  prompt: string;
  seed: number;
  status: ImageStatus;
  /** The raw picture from the provider. */
  fileId: string | null;
  /** The finished ad (picture + brand + copy) and its preview. */
  compositeId: string | null;
  thumbId: string | null;
  /** Overrides the job's layout for this creative. */
  layout: LayoutId | null;
  /** The route that made the picture ("fal-ai", "nscale", "builtin"…); null for older jobs. */
  route: string | null;
  /** The picture's size as the provider sent it. */
  sourceWidth: number | null;
  sourceHeight: number | null;
  mimeType: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  elapsedMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** What this creative tests and its own copy; null for jobs made before variant sets. */
  variant: CreativeVariant | null;
  /** The model that made the picture (a scene built around the product is the editing model's); null before #22: the job's. */
  model: string | null;
  /** What the provider was asked and did not do for this picture ("OpenAI's image models take no seed…"); empty when it did all. */
  warnings: string[];
}

export interface JobRecord {
  id: string;
  campaignId: string;
  brief: CampaignBrief;
  design: Design;
  preset: BuiltinPresetId;
  status: JobStatus;
  provider: ProviderId;
  model: string;
  format: AdFormatId;
  width: number;
  height: number;
  seed: number;
  negativePrompt: string;
  createdAt: number;
  startedAt: number;
  finishedAt: number | null;
  lastEventId: number;
  /** Which run is current: 1 for the first, one more for each resume, retry or regenerate. */
  run: number;
  images: ImageRecord[];
}

export interface JobSummary {
  id: string;
  productName: string;
  /** The ad's headline: what tells two campaigns for the same product apart. */
  headline: string;
  status: JobStatus;
  provider: ProviderId;
  model: string;
  format: AdFormatId;
  /** Every format of the set, the first one first. */
  formats: AdFormatId[];
  createdAt: number;
  total: number;
  succeeded: number;
  failed: number;
  thumbIds: string[];
}

export type NewJob = Pick<
  JobRecord,
  "id" | "campaignId" | "brief" | "design" | "preset" | "provider" | "model" | "format" | "width" | "height" | "seed" | "negativePrompt"
> & {
  images: { index: number; prompt: string; seed: number; variant?: CreativeVariant; layout?: LayoutId | null }[];
  now: number;
  /** Whose it is: the workspace of the person who started it ('local' with AUTH=off). */
  workspaceId: string;
};
