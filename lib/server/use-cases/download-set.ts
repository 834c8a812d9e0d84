import "server-only";
import { Readable } from "node:stream";
import yazl from "yazl";
import type { AdFormatId } from "@/lib/ad-formats";
import { adsManagerCsv, creativeUrl, type CsvCreative } from "@/lib/ads-manager-csv";
import { creativeFilename, slugify } from "@/lib/creative-filenames";
import { manifestHeader } from "@/lib/creatives-manifest";
import { creativeDesign, creativeFormat, type CreativeVariant } from "@/lib/variants";
import type { Caller } from "../auth/caller";
import { loadBrandAssets } from "../branding/brand-assets";
import { AppError } from "./app-error";
import { composeIntoZip, creativeAdDesign } from "./compose-into-zip";
import { findJob } from "./find-job";
import type { ExportedZip } from "./export-all-formats";
import type { UseCaseContext } from "./use-case-context";

function mimeOf(fileId: string): string {
  return fileId.endsWith(".jpg") ? "image/jpeg" : fileId.endsWith(".webp") ? "image/webp" : "image/png";
}


/**
 * Every finished creative of a set with its picture, creatives.json and an Ads Manager CSV, zipped
 * as a stream (files are read as the client downloads; nothing is built in memory). Every file is
 * opened before the zip starts: one that is gone is left out and named in creatives.json
 * (`missing`), and a read that still fails ends the zip with an error instead of a hang.
 * As `png` the ads are lossless, composed again from their pictures on the image workers one after
 * another as the zip is written (taking turns with exports). `checkOnly` opens no file (HEAD).
 */
export async function downloadSet(context: UseCaseContext, caller: Caller, jobId: string, type: "jpg" | "png", options: { checkOnly?: boolean } = {}): Promise<ExportedZip> {
  const { store } = context;
  const job = await findJob(context, caller, jobId);
  const done = job.images.filter((image) => image.status === "done" && image.fileId && image.compositeId);
  if (done.length === 0) throw new AppError("conflict", "This job has no finished images to download yet.");
  const filename = `${slugify(job.brief.productName)}-creatives${type === "png" ? "-png" : ""}.zip`;
  if (options.checkOnly) return { filename };

  const zip = new yazl.ZipFile();
  const manifest = {
    ...manifestHeader(job),
    images: [] as {
      index: number;
      file: string;
      /** The platform format of this creative (a set may be in several). */
      format: AdFormatId;
      background: string;
      layout: string;
      prompt: string;
      seed: number;
      /** The route (Inference Provider) that actually made the picture. */
      route: string | null;
      width: number | null;
      height: number | null;
      sourceWidth: number | null;
      sourceHeight: number | null;
      /** What this creative tests, and the copy it carries. */
      variant: CreativeVariant | null;
      copy: { headline: string; subline: string; cta: string; primaryText: string; description: string };
      /** The landing page with this variant's UTM parameters (empty without a landing page). */
      url: string;
    }[],
    /** Creatives whose files were gone when the download started: not in the zip. */
    missing: [] as { index: number; reason: string }[],
  };
  const fail = (error: Error) => {
    console.error(`[download] job ${job.id}: ${error.message}`);
    (zip.outputStream as Readable).destroy(error);
  };
  const rows: CsvCreative[] = [];
  const toCompose: { image: (typeof done)[number]; name: string; format: AdFormatId }[] = [];
  for (const image of done) {
    // As PNGs the ads are made again from their pictures: the stored JPEG is not needed.
    const [ad, raw] = await Promise.all([type === "jpg" ? store.openReadable(image.compositeId!) : null, store.openReadable(image.fileId!)]);
    if ((type === "jpg" && !ad) || !raw) {
      for (const opened of [ad, raw]) opened?.stream.destroy();
      manifest.missing.push({ index: image.index, reason: "its files are no longer in DATA_DIR/images" });
      continue;
    }
    const format = creativeFormat(image.variant, job.format);
    const name = creativeFilename(job.brief.productName, image.index, type === "png" ? "image/png" : "image/jpeg", image.variant?.format);
    const background = `backgrounds/${creativeFilename(job.brief.productName, image.index, mimeOf(image.fileId!), image.variant?.format)}`;
    for (const opened of [ad, raw]) opened?.stream.once("error", fail);
    if (ad) zip.addReadStream(ad.stream, name, { compress: false, size: ad.size });
    else toCompose.push({ image, name, format });
    zip.addReadStream(raw.stream, background, { compress: false, size: raw.size });
    const design = creativeDesign(job.design, image.variant);
    const row: CsvCreative = { file: name, format, variant: image.variant, design, index: image.index };
    rows.push(row);
    manifest.images.push({
      index: image.index,
      file: name,
      format: row.format,
      background,
      layout: image.layout ?? job.design.layout,
      prompt: image.prompt,
      seed: image.seed,
      route: image.route,
      width: image.width,
      height: image.height,
      sourceWidth: image.sourceWidth,
      sourceHeight: image.sourceHeight,
      variant: image.variant,
      copy: { headline: design.headline, subline: design.subline, cta: design.cta, primaryText: design.primaryText ?? "", description: design.description ?? "" },
      url: creativeUrl(job.brief, row),
    });
  }
  const finish = () => {
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), "creatives.json");
    zip.addBuffer(Buffer.from(adsManagerCsv(job.brief, rows)), "creatives.csv");
    zip.end();
  };
  if (toCompose.length === 0) finish();
  else {
    const assets = await loadBrandAssets(context.uploadsIn(caller.workspaceId), job.design);
    const ads = toCompose.map(({ image, name, format }) => ({ name, pictureId: image.fileId!, format, design: creativeAdDesign(job.design, image) }));
    composeIntoZip(context, zip, ads, { assets, encoding: "png", finish, fail });
  }

  return { filename, zip: zip.outputStream as Readable };
}
