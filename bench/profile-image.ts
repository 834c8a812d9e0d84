/**
 * The CPU and I/O of one image, step by step, from the provider's bytes to the stored ad and its
 * previews (the path `runner.ts` + `creative-service.ts` + `finish-creative.ts` take; in the app
 * the decode, preview and composite run on an image worker), in process on the bench's 2.7 MB
 * 1024² PNG. Each step is the median of RUNS; the first composite of a picture is not cached.
 */
import { performance } from "node:perf_hooks";
import { makeTempDir, removeDir } from "../tests/support/app-server";
import { composeCreative, decodePicture, DEFAULT_DESIGN, FileImageStore, previewOfDecoded, verifyImage } from "./in-process";
import { median } from "./stats";

const RUNS = 15;

export async function profileOneImage(picture: Buffer): Promise<{ step: string; ms: number }[]> {
  const dir = makeTempDir("acg-profile-");
  const store = new FileImageStore(dir);
  const times: Record<string, number[]> = {};
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    (times[step] ??= []).push(performance.now() - started);
    return result;
  };
  try {
    for (let run = 0; run < RUNS + 2; run++) {
      const record = run >= 2;
      const t = record ? time : <T>(_step: string, work: () => Promise<T>) => work();
      await t("verify the header (sharp metadata + end marker)", () => verifyImage(picture, "bench"));
      const decoded = await t("decode the picture once (Skia)", () => decodePicture(picture));
      await t("raw preview from that decode (512 px WebP)", () => previewOfDecoded(decoded));
      const saved = await t("save the raw picture (write + fsync + rename)", () => store.save(picture, "png"));
      const composite = await t("composite from that decode (draw copy, JPEG q90, 640 px WebP, 16 px placeholder)", () =>
        composeCreative({ background: picture, decoded, format: "instagram-square", design: DEFAULT_DESIGN, logo: null }, { thumbnailWidth: 640 }),
      );
      await t("save the ad and its preview (2 × write + fsync)", () => Promise.all([store.save(composite.bytes, "jpg"), store.save(composite.thumbnail!, "webp")]));
      const edit = (headline: string) =>
        composeCreative({ background: picture, backgroundKey: `profile-${run}-${saved.id}`, format: "instagram-square", design: { ...DEFAULT_DESIGN, headline }, logo: null }, { thumbnailWidth: 640 });
      await t("composite after a first edit (decodes the kept picture)", () => edit(`Edit ${run}`));
      await t("composite after a second edit (resize cache warm on that worker)", () => edit(`Edit ${run} again`));
    }
  } finally {
    removeDir(dir);
  }
  return Object.entries(times).map(([step, samples]) => ({ step, ms: median(samples) }));
}
