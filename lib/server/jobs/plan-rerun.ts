import "server-only";
import { randomInt } from "node:crypto";
import { MAX_SEED, type ProviderId } from "@/lib/campaign";
import { AD_FORMATS, type AdFormatId } from "@/lib/ad-formats";
import { setCopyLengthIssues } from "@/lib/platform-copy";
import { creativeDesign, creativeFormat, setFormats, variantOf, type CreativeVariant } from "@/lib/variants";
import { reframePrompt } from "../generation/prompts";
import { loadBrandAssets, type BrandAssets } from "../branding/brand-assets";
import type { GenerationPlan } from "../generation/runner";
import type { ImageProvider, RoutePlan } from "../providers/provider";
import type { ImageStorage, JobStore, RerunSlot } from "../storage/storage";
import type { JobRecord } from "../storage/job-records";
import { AppError } from "../use-cases/app-error";

/** A job may grow with "More like this" up to this many slots. */
export const MAX_SLOTS_PER_JOB = 64;

export interface RerunRequest {
  action: "resume" | "retry" | "regenerate" | "more" | "format";
  index?: number;
  /** For "format": the format the set is added in. */
  format?: AdFormatId;
  /** "Retry with …": go on with this provider (and model) instead of the job's. */
  provider?: ProviderId;
  model?: string;
}

export interface RerunDeps {
  repo: JobStore;
  store: ImageStorage;
  isRunning: (jobId: string) => Promise<boolean>;
  getProvider: (id: ProviderId) => ImageProvider;
}

/** A slot to make; one added by "more like this" brings its variant and layout (a slot made again keeps its own). */
/** A slot of the next run: the one the storage prepares (`RerunSlot`). */
export type RerunTarget = RerunSlot;

export interface PlannedRerun {
  job: JobRecord;
  /** The job as stored: its provider and model before a "Retry with …". */
  stored: JobRecord;
  plan: GenerationPlan;
  targets: RerunTarget[];
  assets: BrandAssets;
}

/** Refuses a provider that cannot run (no token, say). */
export function refuseUnavailable(provider: ImageProvider): void {
  const status = provider.status();
  if (!status.available) throw new AppError("unavailable", `${status.label} is not available: ${status.reason ?? "it is not configured"}.`);
}

/** The routes of a plan, or its refusal: a model it does not offer concerns the field "model". */
export function routesOrRefusal(routing: RoutePlan): Extract<RoutePlan, { ok: true }> {
  if (routing.ok) return routing;
  throw new AppError(routing.code, routing.message, routing.code === "invalid" ? { field: "model" } : {});
}

/** What the runner needs to make `indices` of a job (new or stored); prompts and seeds are by slot. */
export function planFor(
  job: Pick<JobRecord, "id" | "brief" | "design" | "preset" | "format" | "width" | "height" | "seed" | "negativePrompt" | "model">,
  provider: ImageProvider,
  routing: Extract<RoutePlan, { ok: true }>,
  run: { prompts: string[]; seeds: number[]; indices: number[]; variants?: (CreativeVariant | null)[] },
): GenerationPlan {
  return {
    jobId: job.id,
    brief: job.brief,
    design: job.design,
    preset: job.preset,
    format: job.format,
    provider,
    model: job.model,
    routes: routing.routes,
    concurrency: routing.concurrency,
    width: job.width,
    height: job.height,
    seed: job.seed,
    negativePrompt: job.negativePrompt,
    ...run,
  };
}

/**
 * Another run on a stored job (resume, retry, regenerate, more like this), decided before any
 * provider call; used by the rerun use case (the API, and the start-up's automatic resume).
 * Throws an AppError for what cannot be run.
 */
export async function planRerun(deps: RerunDeps, jobId: string, request: RerunRequest): Promise<PlannedRerun> {
  const stored = await deps.repo.getJob(jobId);
  if (!stored) throw new AppError("not-found", "No job with that id.");
  const provider = deps.getProvider(request.provider ?? stored.provider);
  refuseUnavailable(provider);
  const model = request.provider ? (request.model ?? (await provider.refresh()).model) : stored.model;
  const job = { ...stored, provider: provider.id, model };
  // Read before the checks: from the running check to the start of the run nothing may await.
  const assets = await loadBrandAssets({ store: deps.store, isUpload: (id, kind) => deps.repo.isUpload(id, kind) }, job.design);
  const routing = routesOrRefusal(await provider.planRoutes(model));
  if (await deps.isRunning(job.id)) throw new AppError("conflict", "This job is still running: wait for it to finish or stop it first.");

  const slots = job.images;
  const { action, index } = request;
  if (index !== undefined && !slots.some((image) => image.index === index)) {
    throw new AppError("invalid", `This job has no image ${index}; it has ${slots.length}.`);
  }
  let targets: RerunTarget[];
  if (action === "format") {
    targets = setInFormat(job, request.format ?? job.format);
  } else if (action === "resume") {
    targets = slots.filter((image) => image.status !== "done").map(({ index: i, prompt, seed }) => ({ index: i, prompt, seed }));
    if (targets.length === 0) throw new AppError("conflict", "Every image of this job is already done: nothing to resume.");
  } else {
    const source = slots.find((image) => image.index === index);
    if (!source) throw new AppError("invalid", `${action} needs the index of an image of this job.`);
    if (action === "retry") {
      targets = [{ index: source.index, prompt: source.prompt, seed: source.seed }];
    } else if (action === "regenerate") {
      targets = [{ index: source.index, prompt: source.prompt, seed: randomInt(0, MAX_SEED) }];
    } else {
      if (slots.length >= MAX_SLOTS_PER_JOB) throw new AppError("conflict", `A job holds at most ${MAX_SLOTS_PER_JOB} images: start a new run for more.`);
      targets = [{ index: slots.length, prompt: source.prompt, seed: randomInt(0, MAX_SEED), variant: likeThis(source.variant, slots), layout: source.layout }];
    }
  }

  const prompts = slots.map((image) => image.prompt);
  const seeds = slots.map((image) => image.seed);
  const variants = slots.map((image) => image.variant);
  for (const target of targets) {
    prompts[target.index] = target.prompt;
    seeds[target.index] = target.seed;
    if (target.variant !== undefined) variants[target.index] = target.variant;
  }
  const plan = planFor(job, provider, routing, { prompts, seeds, variants, indices: targets.map((target) => target.index) });
  return { job, stored, plan, targets, assets };
}

/**
 * "Add a format": every creative of the set's first format made again in another, as new slots
 * beside the ones it has: the same scene (prompt reframed, same seed), copy, layout and variant.
 * A new picture at the format's size, not a crop: a scene built around the product must have the
 * product where the new format's layout puts it.
 */
function setInFormat(job: JobRecord, format: AdFormatId): RerunTarget[] {
  const formats = setFormats(job.format, job.images.map((image) => image.variant));
  if (formats.includes(format)) throw new AppError("conflict", `This set already has the ${AD_FORMATS[format].label} format.`, { field: "format" });
  const sources = job.images.filter((image) => creativeFormat(image.variant, job.format) === job.format);
  if (job.images.length + sources.length > MAX_SLOTS_PER_JOB) throw new AppError("conflict", `A job holds at most ${MAX_SLOTS_PER_JOB} images: start a new run in ${AD_FORMATS[format].label}.`);
  const tooLong = setCopyLengthIssues([job.design, ...sources.map((image) => creativeDesign(job.design, image.variant))], [format]);
  if (tooLong.length > 0) throw new AppError("invalid", `Some copy is longer than ${AD_FORMATS[format].label} shows: ${tooLong.map((issue) => issue.message).join(" ")}`, { field: "format" });
  return sources.map((image, i): RerunTarget => {
    const base = variantOf(image);
    return { index: job.images.length + i, prompt: reframePrompt(image.prompt, job.design, job.format, format), seed: image.seed, variant: { ...base, format }, layout: image.layout };
  });
}

/** "More like this": the same copy and layout on a new scene of its own. */
function likeThis(source: CreativeVariant | null, slots: JobRecord["images"]): CreativeVariant | null {
  if (!source) return null;
  const picture = Math.max(...slots.map((image) => image.variant?.picture ?? image.index + 1)) + 1;
  return { ...source, picture, label: source.label.replace(/^Picture \d+/, `Picture ${picture}`), key: `v${slots.length + 1}-like-${source.key.split("-")[0]}` };
}
