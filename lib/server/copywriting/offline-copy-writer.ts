import "server-only";
import type { CopyAngle, CopyDraft, CopyWriterInfo } from "@/lib/copy-writing";
import type { CopyLine } from "@/lib/design";
import type { CampaignBrief } from "@/lib/campaign";
import type { CopyWriter, Draft, DraftRequest } from "./copy-writer";

/**
 * Copy from templates filled with the brief's own words: no model, no token, no network. Each
 * line takes the first template (from `attempt` on) that fits its limit and differs from the
 * current line; the last template of each list is short enough to fit any limit we set. It
 * claims nothing the brief does not say: no numbers, ratings, prices or deadlines.
 */

interface Words {
  product: string;
  brand: string;
  /** The description's first clause: what the product is. */
  what: string;
  /** The shortest telling clause of the description: what it does for the reader. */
  benefit: string;
  /** Another clause, for a second line that does not repeat the first. */
  benefit2: string;
  /** The audience up to "who"/"that": "young urban professionals". */
  audience: string;
}

type Template = (words: Words) => string;

const TEMPLATES: Record<CopyAngle, Record<CopyLine, Template[]>> = {
  benefit: {
    headline: [(w) => `${w.product}: ${w.benefit}`, (w) => `${cap(w.benefit)}, by ${w.brand}`, (w) => `Meet ${w.product}`, (w) => cap(w.benefit), (w) => w.product, (w) => w.brand],
    subline: [(w) => `${cap(w.what)}, ${w.benefit2}.`, (w) => `${cap(w.what)}.`, (w) => `${cap(w.benefit)}, every time.`, (w) => `${cap(w.benefit)}.`, (w) => `By ${w.brand}.`],
    cta: [() => "Shop now", () => "Discover more", () => "Learn more"],
    primaryText: [(w) => `${cap(w.what)}. ${cap(w.benefit2)}, made for ${w.audience}.`, (w) => `${cap(w.what)}. ${cap(w.benefit2)}.`, (w) => `${w.product}: ${w.benefit}.`, (w) => `${cap(w.benefit)}.`, (w) => `${w.brand}.`],
    description: [(w) => cap(w.benefit2), (w) => cap(w.benefit), (w) => `By ${w.brand}`, (w) => w.brand],
  },
  "social-proof": {
    headline: [(w) => `Why ${w.audience} choose ${w.product}`, (w) => `Made for ${w.audience}`, (w) => `${w.product}, made for you`, () => "Made for you"],
    subline: [(w) => `${cap(w.what)}, made for ${w.audience}.`, (w) => `${cap(w.what)}.`, (w) => `${cap(w.benefit)}. See why.`, () => "See why."],
    cta: [() => "See why", () => "Find out why", () => "Learn more"],
    primaryText: [(w) => `${cap(w.audience)} are choosing ${w.product}: ${w.benefit} and ${w.benefit2}. See why.`, (w) => `${cap(w.audience)} are choosing ${w.product}. See why.`, (w) => `${w.product}: ${w.benefit}. See why.`, () => "See why."],
    description: [(w) => `Made for ${w.audience}`, (w) => cap(w.benefit), (w) => w.brand],
  },
  urgency: {
    headline: [(w) => `Try ${w.product} today`, (w) => `Get ${w.product} now`, () => "Start today"],
    subline: [(w) => `${cap(w.what)}. Why wait?`, (w) => `${cap(w.benefit)}. Why wait?`, () => "Why wait?"],
    cta: [() => "Get yours today", () => "Order now", () => "Start now"],
    primaryText: [(w) => `${cap(w.what)}, ${w.benefit2}. Why wait? Get ${w.product} today.`, (w) => `${cap(w.what)}. Get yours today.`, (w) => `Get ${w.product} today.`, () => "Get yours today."],
    description: [(w) => `Get ${w.product} today`, () => "Get yours today"],
  },
  question: {
    headline: [(w) => `Have you met ${w.product}?`, (w) => `Why not ${w.product}?`, (w) => `Ready for ${w.brand}?`, () => "Ready for better?"],
    subline: [(w) => `${cap(w.what)}: ${w.benefit2}.`, (w) => `${cap(w.what)}.`, (w) => `${w.product}: ${w.benefit}.`, (w) => `Meet ${w.brand}.`],
    cta: [() => "Find out", () => "See how", () => "Learn more"],
    primaryText: [(w) => `Have you met ${w.product}? ${cap(w.what)}, made for ${w.audience}.`, (w) => `Have you met ${w.product}? ${cap(w.what)}.`, (w) => `Why not ${w.product}?`, () => "Ready for better?"],
    description: [(w) => `Why not ${w.product}?`, (w) => `Meet ${w.brand}`, (w) => w.brand],
  },
};

export class OfflineCopyWriter implements CopyWriter {
  readonly id = "offline" as const;

  info(): CopyWriterInfo {
    return { id: this.id, label: "Built-in templates (offline)", model: null, available: true };
  }

  async draft(request: DraftRequest): Promise<{ ok: true; value: Draft }> {
    const lines = writeOffline(request);
    return { ok: true, value: { lines, reply: JSON.stringify(lines) } };
  }
}

/** Every asked line, each within its limit. */
export function writeOffline(request: Pick<DraftRequest, "brief" | "brandName" | "angle" | "lines" | "limits" | "current" | "attempt">): CopyDraft {
  const words = wordsOf(request.brief, request.brandName);
  const lines: CopyDraft = {};
  for (const line of request.lines) {
    const templates = line === "cta" ? ctasFor(request.angle, request.brief) : TEMPLATES[request.angle][line];
    lines[line] = pick(templates, words, request.limits[line], request.current[line], request.attempt);
  }
  return lines;
}

function pick(templates: Template[], words: Words, limit: number, current: string | undefined, attempt: number): string {
  // A brief with one clause fills "what" and "benefit" alike: a line that would say it twice is skipped.
  const filled = [...new Set(templates.map((template) => tidy(template(words))))].filter((text) => !saysTwice(text, words));
  const fitting = filled.filter((text) => text.length > 0 && text.length <= limit);
  // Later attempts start further down the list, so "Write again" shows another line while one is left.
  const fresh = fitting.filter((text) => text !== current?.trim());
  const choices = fresh.length > 0 ? fresh : fitting;
  if (choices.length > 0) return choices[attempt % choices.length]!;
  // The brand name fits every limit (at most 40 characters; the smallest line limit is the CTA's 24, which has short fixed templates).
  return words.brand.length <= limit ? words.brand : words.brand.split(" ").reduce((kept, word) => (`${kept} ${word}`.trim().length <= limit ? `${kept} ${word}`.trim() : kept), "");
}

/** Calm and trustworthy briefs (software, services) get an invitation to look, not a push to buy. */
function ctasFor(angle: CopyAngle, brief: CampaignBrief): Template[] {
  const soft = brief.tone === "trustworthy" || brief.tone === "calm";
  if (!soft) return TEMPLATES[angle].cta;
  const gentle: Record<CopyAngle, string[]> = { benefit: ["See how it works", "Learn more"], "social-proof": ["See why", "Learn more"], urgency: ["Get started today", "Start now"], question: ["See how", "Find out"] };
  return gentle[angle].map((text) => () => text);
}

export function wordsOf(brief: CampaignBrief, brandName: string): Words {
  const clauses = brief.productDescription
    .split(/[,;.!?]|\s+and\s+/i)
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0);
  const what = clauses[0] ?? brief.productName;
  const rest = clauses.slice(1).filter((clause) => clause.split(/\s+/).length <= 8);
  const byLength = [...rest].sort((a, b) => a.length - b.length);
  // "with an audit trail" reads as "an audit trail" after a colon.
  const bare = (clause: string) => clause.replace(/^(?:with|for|and)\s+/i, "");
  const benefit = lower(bare(byLength.find((clause) => clause.includes(" ")) ?? byLength[0] ?? what));
  const benefit2 = lower(rest.find((clause) => lower(bare(clause)) !== benefit) ?? what);
  const audience = lower(brief.targetAudience.split(/\s+(?:who|that|which|looking|with)\s+|[,;.]/i)[0]!.trim() || brief.targetAudience);
  return { product: brief.productName.trim(), brand: brandName.trim(), what, benefit, benefit2, audience };
}

function saysTwice(text: string, words: Words): boolean {
  const lower = text.toLowerCase();
  return [words.what, words.benefit, words.benefit2].some((clause) => {
    const needle = clause.toLowerCase();
    const first = lower.indexOf(needle);
    return needle.length > 0 && first >= 0 && lower.indexOf(needle, first + needle.length) >= 0;
  });
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\s+([,.:?])/g, "$1").replace(/\.\./g, ".").trim();
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Lower-cases the first letter unless the first word looks like a name or an acronym (two capitals). */
function lower(text: string): string {
  return /^[A-Z][A-Z0-9]/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
