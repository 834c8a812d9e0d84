import "server-only";
import { randomBytes, randomInt } from "node:crypto";
import { formatSize } from "@/lib/ad-formats";
import { MAX_SEED, requestFormats, type GenerateRequest, type ProviderId } from "@/lib/campaign";
import { creativeFormat } from "@/lib/variants";
import { DEFAULT_DESIGN } from "@/lib/design";
import { loadBrandAssets, missingUpload, type BrandAssets, type UploadSource } from "../branding/brand-assets";
import { buildPrompts, imageSeed } from "../generation/prompts";
import type { GenerationPlan } from "../generation/runner";
import type { ImageProvider } from "../providers/provider";
import type { ImageStorage } from "../storage/storage";
import type { NewJob } from "../storage/job-records";
import { planFor, refuseUnavailable, routesOrRefusal } from "./plan-rerun";
import { AppError } from "../use-cases/app-error";
import { planCreativeVariants, type PlanVariantsDeps } from "../use-cases/plan-variants";

export interface NewJobDeps extends UploadSource, PlanVariantsDeps {
  store: ImageStorage;
  getProvider: (id: ProviderId) => ImageProvider;
  defaultProvider: ProviderId;
  /** The caller's workspace: the job is theirs, and `isUpload` answers for their uploads only. */
  workspaceId: string;
  now: () => number;
  newId?: () => string;
  /** The run's seed when the request names none. */
  randomSeed?: () => number;
}

export interface PlannedJob {
  job: NewJob;
  plan: GenerationPlan;
  assets: BrandAssets;
}

const randomId = () => randomBytes(12).toString("base64url");

/**
 * A new job from a validated request, decided before any provider call: the provider and model
 * (a model nothing serves is refused here), the brand's uploads, varied prompts and seeds.
 * Throws an AppError for what cannot be made (a provider without its key, an unknown model).
 */
export async function planNewJob(deps: NewJobDeps, input: GenerateRequest): Promise<PlannedJob> {
  const provider = deps.getProvider(input.provider ?? deps.defaultProvider);
  refuseUnavailable(provider);
  const model = input.model ?? (await provider.refresh()).model;
  const routing = routesOrRefusal(await provider.planRoutes(model));

  const design = input.design ?? DEFAULT_DESIGN;
  const assets = await loadBrandAssets(deps, design);
  const missing = missingUpload(design, assets);
  if (missing) throw new AppError("invalid", missing.message, { field: missing.path });

  const seed = input.seed ?? (deps.randomSeed ?? (() => randomInt(0, MAX_SEED)))();
  const { width, height } = formatSize(input.format);
  const planned = await planCreativeVariants(deps, { brief: input, design, format: input.format, ...(input.moreFormats ? { moreFormats: input.moreFormats } : {}), dimension: input.variants ?? "picture", count: input.count, ...(input.copyWriter ? { writer: input.copyWriter } : {}) });
  // One prompt and seed per scene: creatives that test copy or layout share theirs, and a scene
  // keeps its seed in every format (framed for each).
  const scenes = new Map(requestFormats(input).map((format) => [format, buildPrompts(input, { count: planned.pictures, seed, format, design })]));
  const { negativePrompt } = scenes.get(input.format)!;
  const prompts = planned.variants.map((variant) => scenes.get(creativeFormat(variant, input.format))!.prompts[variant.picture - 1]!);
  const seeds = planned.variants.map((variant) => imageSeed(seed, variant.picture - 1));
  const newId = deps.newId ?? randomId;
  const job: NewJob = {
    id: newId(),
    campaignId: newId(),
    brief: { productName: input.productName, productDescription: input.productDescription, targetAudience: input.targetAudience, style: input.style, tone: input.tone },
    design,
    preset: input.preset ?? "auto",
    provider: provider.id,
    model,
    format: input.format,
    width,
    height,
    seed,
    negativePrompt,
    images: prompts.map((prompt, index) => ({ index, prompt, seed: seeds[index]!, variant: planned.variants[index]!, layout: planned.layouts[index] ?? null })),
    now: deps.now(),
    workspaceId: deps.workspaceId,
  };
  const plan = { ...planFor(job, provider, routing, { prompts, seeds, variants: planned.variants, indices: prompts.map((_, i) => i) }), layouts: planned.layouts };
  return { job, plan, assets };
}
