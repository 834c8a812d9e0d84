import "server-only";
import { Readable } from "node:stream";
import yazl from "yazl";
import { AD_FORMAT_IDS, AD_FORMATS } from "@/lib/ad-formats";
import { creativeFilename, slugify } from "@/lib/creative-filenames";
import type { Caller } from "../auth/caller";
import { loadBrandAssets } from "../branding/brand-assets";
import { AppError } from "./app-error";
import { composeIntoZip, creativeAdDesign } from "./compose-into-zip";
import { findJob } from "./find-job";
import { finishedIndex } from "./finished-job";
import type { UseCaseContext } from "./use-case-context";

/** What an export's files are: PNG (lossless, the default) or JPEG (what most ad platforms take, a fraction of the size). */
export const EXPORTS = { png: { encoding: "png", mimeType: "image/png" }, jpg: { encoding: "jpeg", mimeType: "image/jpeg" } } as const;
export type ExportType = keyof typeof EXPORTS;
export const EXPORT_TYPES = Object.keys(EXPORTS) as ExportType[];
export const isExportType = (value: string): value is ExportType => Object.hasOwn(EXPORTS, value);

export interface ExportedZip {
  filename: string;
  /** Absent when only checked (`checkOnly`): nothing was composed. */
  zip?: Readable;
}

/**
 * One creative in every platform format, as a zip composed on the image workers while it is
 * written: formats one after another, so memory stays flat, and exports take turns (one at a time
 * per process), so a burst of them cannot crowd out the runs' ads. `checkOnly` checks the same
 * and composes nothing (a HEAD request).
 */
export async function exportAllFormats(context: UseCaseContext, caller: Caller, jobId: string, index: number, type: ExportType, options: { checkOnly?: boolean } = {}): Promise<ExportedZip> {
  const { store } = context;
  const job = await findJob(context, caller, jobId);
  finishedIndex(job, index);
  const image = job.images.find((i) => i.index === index)!;
  const { encoding, mimeType } = EXPORTS[type];
  const filename = `${slugify(job.brief.productName)}-${String(index + 1).padStart(2, "0")}-all-formats${type === "png" ? "" : `-${type}`}.zip`;
  const missing = () => new AppError("not-found", "The picture behind this creative is missing.");
  // Checked before the zip starts (and for a HEAD), so a picture that is gone is a 404 rather than a broken zip.
  const opened = await store.openReadable(image.fileId!);
  if (!opened) throw missing();
  opened.stream.destroy();
  if (options.checkOnly) return { filename };
  const assets = await loadBrandAssets(context.uploadsIn(caller.workspaceId), job.design);
  const design = creativeAdDesign(job.design, image);

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  const stem = creativeFilename(job.brief.productName, index, mimeType).replace(/\.\w+$/, "");
  const ads = AD_FORMAT_IDS.map((format) => ({ name: `${stem}-${format}-${AD_FORMATS[format].width}x${AD_FORMATS[format].height}.${type}`, pictureId: image.fileId!, format, design }));
  composeIntoZip(context, zip, ads, {
    assets,
    encoding,
    finish: () => zip.end(),
    fail: (error) => {
      console.error("[export] failed:", error.message);
      output.destroy(error);
    },
  });
  return { filename, zip: output };
}
