import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { creativeFilename } from "../lib/creative-filenames";
import { manifestHeader } from "../lib/creatives-manifest";
import { adsManagerCsv, creativeUrl, type CsvCreative } from "../lib/ads-manager-csv";
import { creativeDesign, creativeFormat } from "../lib/variants";
import type { PublicJob } from "../lib/job-views";
import { CliError, type ApiClient } from "./api-client";

export interface SavedCreatives {
  dir: string;
  files: string[];
  failed: { index: number; message: string }[];
}

/**
 * Writes a job's finished ads and `creatives.json` (brief, design, and each ad's prompt, seed and
 * file) into `dir`. Each file is written beside its final name and renamed into place, so an
 * interrupted download never leaves a half ad under a real name.
 */
export async function saveCreatives(client: ApiClient, job: PublicJob, dir: string): Promise<SavedCreatives> {
  await fs.promises.mkdir(dir, { recursive: true });
  const files: string[] = [];
  const images: { index: number; file: string; format: string; prompt: string; seed: number; layout: string; route: string | null; width: number | null; height: number | null; variant: PublicJob["images"][number]["variant"]; url: string }[] = [];
  const rows: CsvCreative[] = [];
  const failed: { index: number; message: string }[] = [];
  for (const image of job.images) {
    if (image.status !== "done" || !image.url) {
      failed.push({ index: image.index, message: image.error?.message ?? `not made (${image.status})` });
      continue;
    }
    const response = await client.request(image.url);
    const file = creativeFilename(job.brief.productName, image.index, response.headers.get("content-type") ?? "image/jpeg", image.variant?.format);
    await writeAtomically(path.join(dir, file), response);
    files.push(file);
    // The job's copy with this creative's own lines over it, as the ad carries it.
    const row: CsvCreative = { file, format: creativeFormat(image.variant, job.format), variant: image.variant ?? null, design: creativeDesign(job.design, image.variant), index: image.index };
    rows.push(row);
    images.push({ index: image.index, file, format: row.format, prompt: image.prompt, seed: image.seed, layout: image.layout, route: image.route, width: image.width, height: image.height, variant: image.variant ?? null, url: creativeUrl(job.brief, row) });
  }
  const manifest = { ...manifestHeader(job), images, failed };
  const manifestPath = path.join(dir, "creatives.json");
  await fs.promises.writeFile(`${manifestPath}.part`, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.promises.rename(`${manifestPath}.part`, manifestPath);
  const csvPath = path.join(dir, "creatives.csv");
  await fs.promises.writeFile(`${csvPath}.part`, adsManagerCsv(job.brief, rows));
  await fs.promises.rename(`${csvPath}.part`, csvPath);
  return { dir, files: [...files, "creatives.json", "creatives.csv"], failed };
}

async function writeAtomically(target: string, response: Response): Promise<void> {
  if (!response.body) throw new CliError(`The server sent no bytes for ${path.basename(target)}.`);
  const partial = `${target}.part`;
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), fs.createWriteStream(partial));
    await fs.promises.rename(partial, target);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw new CliError(`Could not save ${path.basename(target)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
