import type { AdFormatId } from "./ad-formats";
import { COPY_LIMITS, type CopyKey, type Design } from "./design";

/**
 * What each ad platform shows of the text that goes with the picture before it cuts it with "…"
 * or "See more". These are the platforms' own recommended lengths (their hard maxima are far
 * longer, but past these the ad is shown cut), looked up in December 2026:
 *
 * | platform | primary text | headline | description | source |
 * |---|---|---|---|---|
 * | Facebook feed | 125 | 40 | 30 | Meta Ads Guide, Facebook Feed image: text recommendations (facebook.com/business/ads-guide/image/facebook-feed) |
 * | Instagram feed | 125 | 40 | 30 | Meta Ads Guide, Instagram Feed image (facebook.com/business/ads-guide/image/instagram-feed) |
 * | Stories and Reels | 125 | 40 | (not shown) | Meta Ads Guide, Facebook/Instagram Stories image: "Primary Text: 125 characters, Headline: 40 characters" |
 * | LinkedIn | 150 | 70 | 100 | LinkedIn Help, Single image ads advertising specifications (linkedin.com/help/lms/answer/a426534): "up to 150 characters … to avoid truncation", headline 70, description about 100 |
 * | X | 280 | 70 | (not shown) | X Business, Ad creative specifications, Image ads: post text 280 characters, website card headline 70 |
 *
 * The headline is both the line set over the picture and the platform's headline under it, so it
 * is held to the smaller of the two limits. The call to action on the picture is ours (the
 * platforms' button is picked from their list in the ads manager).
 */

export const PLATFORMS = {
  "facebook-feed": { label: "Facebook feed", primaryText: 125, headline: 40, description: 30 },
  "instagram-feed": { label: "Instagram feed", primaryText: 125, headline: 40, description: 30 },
  stories: { label: "Stories and Reels", primaryText: 125, headline: 40, description: null },
  linkedin: { label: "LinkedIn", primaryText: 150, headline: 70, description: 100 },
  x: { label: "X", primaryText: 280, headline: 70, description: null },
} as const satisfies Record<string, { label: string; primaryText: number; headline: number; description: number | null }>;
export type PlatformId = keyof typeof PLATFORMS;

/** Where each format runs; a link ad runs on Facebook and LinkedIn, so both limits hold. */
export const FORMAT_PLATFORMS: Record<AdFormatId, PlatformId[]> = {
  "instagram-square": ["instagram-feed"],
  "instagram-portrait": ["instagram-feed", "facebook-feed"],
  story: ["stories"],
  link: ["facebook-feed", "linkedin"],
  x: ["x"],
};

export type CopyLimits = Record<CopyKey, number>;

/** The length each line may have so that no platform the formats run on cuts it. */
export function copyLimits(formats: readonly AdFormatId[]): CopyLimits {
  const platforms = [...new Set(formats.flatMap((format) => FORMAT_PLATFORMS[format]))].map((id) => PLATFORMS[id]);
  const smallest = (pick: (platform: (typeof platforms)[number]) => number | null, ceiling: number) =>
    Math.min(ceiling, ...platforms.map(pick).filter((limit): limit is number => limit !== null));
  return {
    brandName: COPY_LIMITS.brandName,
    headline: smallest((platform) => platform.headline, COPY_LIMITS.headline),
    subline: COPY_LIMITS.subline,
    cta: COPY_LIMITS.cta,
    primaryText: smallest((platform) => platform.primaryText, COPY_LIMITS.primaryText),
    description: smallest((platform) => platform.description, COPY_LIMITS.description),
  };
}

/** The platforms the formats run on, by name, for messages: "Facebook feed and LinkedIn". */
export function platformNames(formats: readonly AdFormatId[]): string {
  const names = [...new Set(formats.flatMap((format) => FORMAT_PLATFORMS[format]))].map((id) => PLATFORMS[id].label);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const FIELD_NAMES: Record<CopyKey, string> = {
  brandName: "the brand name",
  headline: "the headline",
  subline: "the subline",
  cta: "the call to action",
  primaryText: "the primary text",
  description: "the description",
};

/** Each line longer than the formats' platforms show, with how much to cut: nothing is cut for the person. */
export function copyLengthIssues(design: Partial<Pick<Design, CopyKey>>, formats: readonly AdFormatId[]): { key: CopyKey; message: string }[] {
  const limits = copyLimits(formats);
  const where = platformNames(formats);
  return (Object.keys(limits) as CopyKey[]).flatMap((key) => {
    const length = (design[key] ?? "").trim().length;
    if (length <= limits[key]) return [];
    const platformLimit = limits[key] < COPY_LIMITS[key];
    const reason = platformLimit ? ` so ${where} show${where.includes(" and ") ? "" : "s"} it whole` : "";
    return [{ key, message: `Shorten ${FIELD_NAMES[key]} to ${limits[key]} characters or fewer${reason} (it has ${length}).` }];
  });
}

/** The issues of every design of a set, each said once (creatives sharing a line share its issue). */
export function setCopyLengthIssues(designs: readonly Partial<Pick<Design, CopyKey>>[], formats: readonly AdFormatId[]): { key: CopyKey; message: string }[] {
  return designs.flatMap((design) => copyLengthIssues(design, formats)).filter((issue, i, all) => all.findIndex((other) => other.message === issue.message) === i);
}
