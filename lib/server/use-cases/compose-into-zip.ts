import "server-only";
import type { Readable } from "node:stream";
import type yazl from "yazl";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { creativeDesign } from "@/lib/variants";
import type { ImageRecord } from "../storage/job-records";
import type { BrandAssets } from "../branding/brand-assets";
import type { UseCaseContext } from "./use-case-context";

/** One ad to compose into a zip: from which picture, in which format and design, under which name. */
export interface AdToCompose {
  name: string;
  pictureId: string;
  format: AdFormatId;
  design: Design;
}

/** The design a stored creative is composed with: the set's, with the creative's own copy and layout. */
export function creativeAdDesign(design: Design, image: Pick<ImageRecord, "variant" | "layout">): Design {
  const own = creativeDesign(design, image.variant);
  return image.layout ? { ...own, layout: image.layout } : own;
}

/**
 * Composes ads from their pictures on the image workers while the zip is written, one after
 * another (memory stays flat) and in the exports queue's turn (a burst of downloads cannot crowd
 * out the runs' ads); stops composing when the client has gone. `finish` ends the zip; a failure
 * is handed to `fail`, which ends it with the error rather than a hang.
 */
export function composeIntoZip(
  context: Pick<UseCaseContext, "exports" | "work" | "store">,
  zip: yazl.ZipFile,
  ads: readonly AdToCompose[],
  options: { assets: BrandAssets; encoding: "png" | "jpeg"; finish: () => void; fail: (error: Error) => void },
): void {
  const output = zip.outputStream as Readable;
  void context.exports.run(async () => {
    try {
      // All formats of one creative share its picture: it is read once.
      let picture: { id: string; bytes: Buffer } | undefined;
      for (const ad of ads) {
        if (output.destroyed) return;
        if (picture?.id !== ad.pictureId) {
          const bytes = await context.store.read(ad.pictureId);
          if (!bytes) throw new Error(`the picture behind ${ad.name} is gone`);
          picture = { id: ad.pictureId, bytes };
        }
        const { bytes } = await context.work.compose({ background: picture.bytes, backgroundKey: ad.pictureId, format: ad.format, design: ad.design, ...options.assets }, { encoding: options.encoding });
        zip.addBuffer(bytes, ad.name, { compress: false });
      }
      options.finish();
    } catch (error) {
      options.fail(error instanceof Error ? error : new Error("composing the ads failed"));
    }
  });
}
