import "server-only";
import { Readable } from "node:stream";
import yazl from "yazl";
import { AD_FORMAT_IDS, AD_FORMATS } from "@/lib/ad-formats";
import { creativeFilename, slugify } from "@/lib/creative-filenames";
import { creativeDesign } from "@/lib/variants";
import type { Caller } from "../auth/caller";
import { loadBrandAssets } from "../branding/brand-assets";
import { AppError } from "./app-error";
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
  const { store, work } = context;
  const job = await findJob(context, caller, jobId);
  finishedIndex(job, index);
  const image = job.images.find((i) => i.index === index)!;
  const { encoding, mimeType } = EXPORTS[type];
  const filename = `${slugify(job.brief.productName)}-${String(index + 1).padStart(2, "0")}-all-formats${type === "png" ? "" : `-${type}`}.zip`;
  const missing = () => new AppError("not-found", "The picture behind this creative is missing.");
  if (options.checkOnly) {
    const opened = await store.openReadable(image.fileId!);
    if (!opened) throw missing();
    opened.stream.destroy();
    return { filename };
  }
  const raw = await store.read(image.fileId!);
  if (!raw) throw missing();
  const assets = await loadBrandAssets(context.uploadsIn(caller.workspaceId), job.design);
  const own = creativeDesign(job.design, image.variant);
  const design = image.layout ? { ...own, layout: image.layout } : own;

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  const stem = creativeFilename(job.brief.productName, index, mimeType).replace(/\.\w+$/, "");
  void context.exports.run(async () => {
    try {
      for (const format of AD_FORMAT_IDS) {
        // The client went away (or never waited its turn): compose nothing more for nobody.
        if (output.destroyed) return;
        const { bytes } = await work.compose({ background: raw, backgroundKey: image.fileId!, format, design, ...assets }, { encoding });
        const { width, height } = AD_FORMATS[format];
        zip.addBuffer(bytes, `${stem}-${format}-${width}x${height}.${type}`, { compress: false });
      }
      zip.end();
    } catch (error) {
      console.error("[export] failed:", error instanceof Error ? error.message : error);
      output.destroy(error instanceof Error ? error : new Error("export failed"));
    }
  });
  return { filename, zip: output };
}
