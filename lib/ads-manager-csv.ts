import type { AdFormatId } from "./ad-formats";
import { slugify } from "./creative-filenames";
import type { Design } from "./design";
import type { CreativeVariant } from "./variants";

/**
 * `creatives.csv`: one row per finished ad, the columns an ads manager's bulk upload asks for
 * (Meta's, LinkedIn's and X's sheets differ in names, not in substance): the file, its format,
 * what the variant tests, its copy, and the landing URL tagged with UTM parameters per variant,
 * so each variant's clicks are told apart in analytics.
 */

export interface CsvCreative {
  file: string;
  format: AdFormatId;
  variant: CreativeVariant | null;
  /** The copy this ad carries (the campaign's with the creative's own lines over it). */
  design: Pick<Design, "headline" | "subline" | "cta" | "primaryText" | "description" | "landingUrl">;
  index: number;
}

/** Where each format runs, as analytics tools name the source. */
const UTM_SOURCE: Record<AdFormatId, string> = {
  "instagram-square": "instagram",
  "instagram-portrait": "instagram",
  story: "instagram",
  link: "facebook",
  x: "x",
};

export const CSV_COLUMNS = ["File", "Format", "Variant", "Tests", "Headline", "Primary text", "Description", "Call to action", "URL"] as const;

export function adsManagerCsv(campaign: { productName: string }, creatives: CsvCreative[]): string {
  const rows = creatives.map((creative) => [
    creative.file,
    creative.format,
    creative.variant?.key ?? `v${creative.index + 1}`,
    creative.variant?.label ?? "",
    creative.design.headline,
    creative.design.primaryText ?? "",
    creative.design.description ?? creative.design.subline ?? "",
    creative.design.cta,
    creativeUrl(campaign, creative),
  ]);
  // CRLF and a BOM: what Excel and Google Sheets read as UTF-8 CSV without asking.
  return `\uFEFF${[CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** The creative's landing URL with its UTM parameters: the format's platform, the campaign, the variant. */
export function creativeUrl(campaign: { productName: string }, creative: CsvCreative): string {
  return taggedUrl(creative.design.landingUrl, { source: UTM_SOURCE[creative.format], campaign: slugify(campaign.productName), content: creative.variant?.key ?? `v${creative.index + 1}` });
}

/** The landing URL with utm_source, utm_medium, utm_campaign and utm_content set (others kept); empty without one. */
export function taggedUrl(landingUrl: string | undefined, utm: { source: string; campaign: string; content: string }): string {
  if (!landingUrl?.trim()) return "";
  let url: URL;
  try {
    url = new URL(landingUrl.trim());
  } catch {
    return landingUrl.trim();
  }
  url.searchParams.set("utm_source", utm.source);
  url.searchParams.set("utm_medium", "paid_social");
  url.searchParams.set("utm_campaign", utm.campaign);
  url.searchParams.set("utm_content", utm.content);
  return url.toString();
}

/**
 * RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR): copy is the marketer's, but a sheet must never execute it.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
