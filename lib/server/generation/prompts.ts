import "server-only";
import type { CampaignBrief, Tone, VisualStyle } from "@/lib/campaign";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { brandDirection } from "./brand-direction";
import { createRandom, shuffle } from "../seeded-random";

/**
 * Turns a campaign brief into `count` distinct prompts. Each prompt draws a different
 * composition, setting, lighting and camera angle, so a batch explores the space instead of
 * returning four near-identical images. Same brief + seed → same prompts.
 */

const STYLE_DIRECTION: Record<VisualStyle, string> = {
  photographic: "professional commercial product photography, shot on a full-frame camera, 85mm lens, sharp focus, realistic textures",
  minimalist: "clean minimalist design, generous negative space, simple geometric props, soft neutral palette",
  illustration: "bold flat vector illustration, vibrant colours, crisp shapes, graphic poster style",
  luxury: "luxury editorial campaign, rich deep tones, elegant gold accents, refined styling, high-end magazine look",
  retro: "retro vintage advertising aesthetic, film grain, warm faded colours, 1970s print ad feel",
  "3d-render": "high-quality 3D render, soft global illumination, glossy materials, octane render, playful clay-like forms",
};

const TONE_DIRECTION: Record<Tone, string> = {
  energetic: "dynamic and energetic mood, vivid saturated colours, sense of motion",
  calm: "calm and serene mood, soft pastel colours, gentle atmosphere",
  premium: "premium sophisticated mood, restrained palette, polished details",
  playful: "playful cheerful mood, bright candy colours, fun details",
  trustworthy: "warm trustworthy mood, natural colours, honest and approachable",
};

const COMPOSITIONS = [
  "hero shot with the product centred",
  "product placed off-centre on a rule-of-thirds line",
  "close-up detail shot filling the frame",
  "flat lay arranged from above with complementary props",
  "product in use in a lifestyle scene",
  "product floating against a bold backdrop",
  "product on a sculptural pedestal",
  "diagonal composition with strong leading lines",
];

const SETTINGS = [
  "in a sunlit modern studio",
  "on a marble countertop",
  "in an urban rooftop setting",
  "surrounded by natural elements",
  "against a seamless colour backdrop",
  "in a cosy interior",
  "outdoors in golden fields",
  "on a reflective glossy surface",
];

const LIGHTING = [
  "soft diffused daylight",
  "dramatic rim lighting",
  "golden hour glow",
  "crisp high-key lighting",
  "moody low-key lighting with deep shadows",
  "neon accent lighting",
  "window light with long soft shadows",
  "bright even studio strobes",
];

const ANGLES = [
  "eye-level angle",
  "low angle looking up",
  "top-down angle",
  "three-quarter angle",
  "wide establishing shot",
  "macro close-up",
  "slightly elevated angle",
  "straight-on symmetrical view",
];

const FORMAT_FRAMING: Record<AdFormatId, string> = {
  "instagram-square": "square composition",
  "instagram-portrait": "vertical portrait composition",
  story: "tall vertical full-screen composition with space at top and bottom",
  link: "wide horizontal banner composition",
  x: "wide horizontal composition",
};

/** The axes a batch varies along; exported so tests can check every image differs on each. */
export const PROMPT_VARIATIONS = { compositions: COMPOSITIONS, settings: SETTINGS, lighting: LIGHTING, angles: ANGLES } as const;

export const NEGATIVE_PROMPT =
  "text, words, letters, watermark, logo, signature, blurry, low quality, low resolution, jpeg artifacts, distorted, deformed, disfigured, extra limbs, cropped product, duplicate, oversaturated, ugly";

export interface PromptPlan {
  prompts: string[];
  negativePrompt: string;
}

/**
 * With `design`, every prompt also names the brand's colours in words and the part of the frame
 * the layout keeps for the copy, right after the composition: models that read only the first
 * 77 tokens (CLIP) still see them.
 */
export function buildPrompts(brief: CampaignBrief, options: { count: number; seed: number; format: AdFormatId; design?: Pick<Design, "primaryColor" | "secondaryColor" | "layout"> }): PromptPlan {
  const random = createRandom(`${options.seed}`);
  const compositions = shuffle(COMPOSITIONS, random);
  const settings = shuffle(SETTINGS, random);
  const lighting = shuffle(LIGHTING, random);
  const angles = shuffle(ANGLES, random);

  const subject = `${clean(brief.productName)}: ${clean(brief.productDescription)}`;
  const audience = `advertising aimed at ${clean(brief.targetAudience)}`;
  const brand = options.design ? brandDirection(options.design, options.format) : undefined;

  const prompts = Array.from({ length: options.count }, (_, i) =>
    [
      `Advertising photo of ${subject}`,
      compositions[i % compositions.length],
      ...(brand ? [brand.copySpace] : []),
      settings[i % settings.length],
      ...(brand ? [brand.colours] : []),
      lighting[i % lighting.length],
      angles[i % angles.length],
      STYLE_DIRECTION[brief.style],
      TONE_DIRECTION[brief.tone],
      audience,
      FORMAT_FRAMING[options.format],
      "no text, lettering or logos anywhere in the picture",
    ].join(", "),
  );
  return { prompts, negativePrompt: NEGATIVE_PROMPT };
}

/**
 * A slot's prompt for the same scene in another format: the framing and the room the layout
 * leaves for the copy are the new format's, everything else (setting, light, angle) stays.
 */
export function reframePrompt(prompt: string, design: Pick<Design, "primaryColor" | "secondaryColor" | "layout">, from: AdFormatId, to: AdFormatId): string {
  const swap = (text: string, before: string, after: string) => (before && text.includes(before) ? text.split(before).join(after) : text);
  const framed = swap(prompt, `, ${FORMAT_FRAMING[from]},`, `, ${FORMAT_FRAMING[to]},`);
  return swap(framed, brandDirection(design, from).copySpace, brandDirection(design, to).copySpace);
}

/** Seeds for each image of a batch: stable per index, so a retried image keeps its prompt and seed. */
export function imageSeed(baseSeed: number, index: number): number {
  return (baseSeed + index * 7919) % 2_147_483_647;
}

function clean(text: string): string {
  // Newlines and runs of spaces make prompts noisy and can break provider URL paths.
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The prompt for a model that edits from a reference picture holding the packshot: it must build
 * the scene around the product and leave the product itself alone (its pixels are pasted back over
 * the model's anyway, so a moved or redrawn product would show twice).
 */
export function sceneAroundProductPrompt(prompt: string): string {
  return `Keep the product in this image exactly as it is, in the same place and at the same size, and build the scene around it: ${prompt}. Give the product a natural contact shadow on the surface it stands on.`;
}
