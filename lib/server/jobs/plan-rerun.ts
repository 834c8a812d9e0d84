import "server-only";
import { randomInt } from "node:crypto";
import { MAX_SEED, type ProviderId } from "@/lib/campaign";
import { AD_FORMATS, type AdFormatId } from "@/lib/ad-formats";
import type { LayoutId } from "@/lib/design";
import { setCopyLengthIssues } from "@/lib/platform-copy";
import { creativeDesign, creativeFormat, setFormats, variantOf, type CreativeVariant } from "@/lib/variants";
import { reframePrompt } from "../generation/prompts";
import { loadBrandAssets, type BrandAssets } from "../branding/brand-assets";
import type { GenerationPlan } from "../generation/runner";
import type { ImageProvider, RoutePlan } from "../providers/provider";
import type { ImageStorage, JobStore } from "../storage/storage";
import type { JobRecord } from "../storage/job-records";

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
export type RerunTarget = { index: number; prompt: string; seed: number; variant?: CreativeVariant | null; layout?: LayoutId | null };

export type PlannedRerun =
  | { ok: true; job: JobRecord; stored: JobRecord; plan: GenerationPlan; targets: RerunTarget[]; assets: BrandAssets }
  | { ok: false; status: 400 | 404 | 409 | 502; message: string; path?: string };

/** The 400 for a provider that cannot run (no token, say), or null when it can. */
export function providerRefusal(provider: ImageProvider): string | null {
  const status = provider.status();
  return status.available ? null : `${status.label} is not available: ${status.reason ?? "it is not configured"}.`;
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
 * provider call; used by `POST /api/jobs/{id}/images` and by the start-up's automatic resume.
 */
export async function planRerun(deps: RerunDeps, jobId: string, request: RerunRequest): Promise<PlannedRerun> {
  const stored = await deps.repo.getJob(jobId);
  if (!stored) return { ok: false, status: 404, message: "No job with that id." };
  const provider = deps.getProvider(request.provider ?? stored.provider);
  const refused = providerRefusal(provider);
  if (refused) return { ok: false, status: 400, message: refused };
  const model = request.provider ? (request.model ?? (await provider.refresh()).model) : stored.model;
  const job = { ...stored, provider: provider.id, model };
  // Read before the checks: from the running check to the start of the run nothing may await.
  const assets = await loadBrandAssets({ store: deps.store, isUpload: (id, kind) => deps.repo.isUpload(id, kind) }, job.design);
  const routing = await provider.planRoutes(model);
  if (!routing.ok) return { ok: false, status: routing.status, message: routing.message, ...(routing.status === 400 ? { path: "model" } : {}) };
  if (await deps.isRunning(job.id)) return { ok: false, status: 409, message: "This job is still running: wait for it to finish or stop it first." };

  const slots = job.images;
  const { action, index } = request;
  if (index !== undefined && !slots.some((image) => image.index === index)) {
    return { ok: false, status: 400, message: `This job has no image ${index}; it has ${slots.length}.` };
  }
  let targets: RerunTarget[];
  if (action === "format") {
    const added = setInFormat(job, request.format ?? job.format);
    if (!added.ok) return added;
    targets = added.targets;
  } else if (action === "resume") {
    targets = slots.filter((image) => image.status !== "done").map(({ index: i, prompt, seed }) => ({ index: i, prompt, seed }));
    if (targets.length === 0) return { ok: false, status: 409, message: "Every image of this job is already done: nothing to resume." };
  } else {
    const source = slots.find((image) => image.index === index);
    if (!source) return { ok: false, status: 400, message: `${action} needs the index of an image of this job.` };
    if (action === "retry") {
      targets = [{ index: source.index, prompt: source.prompt, seed: source.seed }];
    } else if (action === "regenerate") {
      targets = [{ index: source.index, prompt: source.prompt, seed: randomInt(0, MAX_SEED) }];
    } else {
      if (slots.length >= MAX_SLOTS_PER_JOB) return { ok: false, status: 409, message: `A job holds at most ${MAX_SLOTS_PER_JOB} images: start a new run for more.` };
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
  return { ok: true, job, stored, plan, targets, assets };
}

/**
 * "Add a format": every creative of the set's first format made again in another, as new slots
 * beside the ones it has: the same scene (prompt reframed, same seed), copy, layout and variant.
 * A new picture at the format's size, not a crop: a scene built around the product must have the
 * product where the new format's layout puts it.
 */
function setInFormat(job: JobRecord, format: AdFormatId): { ok: true; targets: RerunTarget[] } | { ok: false; status: 400 | 409; message: string; path?: string } {
  const formats = setFormats(job.format, job.images.map((image) => image.variant));
  if (formats.includes(format)) return { ok: false, status: 409, message: `This set already has the ${AD_FORMATS[format].label} format.`, path: "format" };
  const sources = job.images.filter((image) => creativeFormat(image.variant, job.format) === job.format);
  if (job.images.length + sources.length > MAX_SLOTS_PER_JOB) return { ok: false, status: 409, message: `A job holds at most ${MAX_SLOTS_PER_JOB} images: start a new run in ${AD_FORMATS[format].label}.` };
  const tooLong = setCopyLengthIssues([job.design, ...sources.map((image) => creativeDesign(job.design, image.variant))], [format]);
  if (tooLong.length > 0) return { ok: false, status: 400, message: `Some copy is longer than ${AD_FORMATS[format].label} shows: ${tooLong.map((issue) => issue.message).join(" ")}`, path: "format" };
  const targets = sources.map((image, i): RerunTarget => {
    const base = variantOf(image);
    return { index: job.images.length + i, prompt: reframePrompt(image.prompt, job.design, job.format, format), seed: image.seed, variant: { ...base, format }, layout: image.layout };
  });
  return { ok: true, targets };
}

/** "More like this": the same copy and layout on a new scene of its own. */
function likeThis(source: CreativeVariant | null, slots: JobRecord["images"]): CreativeVariant | null {
  if (!source) return null;
  const picture = Math.max(...slots.map((image) => image.variant?.picture ?? image.index + 1)) + 1;
  return { ...source, picture, label: source.label.replace(/^Picture \d+/, `Picture ${picture}`), key: `v${slots.length + 1}-like-${source.key.split("-")[0]}` };
}
