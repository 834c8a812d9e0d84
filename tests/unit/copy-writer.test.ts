import { describe, expect, it } from "vitest";
import { AD_FORMAT_IDS } from "@/lib/ad-formats";
import { generateRequestSchema, type CampaignBrief } from "@/lib/campaign";
import { COPY_ANGLE_IDS, writeCopyRequestSchema, type CopyDraft } from "@/lib/copy-writing";
import { COPY_LINES, DEFAULT_DESIGN } from "@/lib/design";
import { copyLengthIssues, copyLimits } from "@/lib/platform-copy";
import type { CopyWriter, DraftRequest } from "@/lib/server/copywriting/copy-writer";
import { OfflineCopyWriter, writeOffline } from "@/lib/server/copywriting/offline-copy-writer";
import { readCopyReply } from "@/lib/server/copywriting/copy-prompt";
import { AppError, failure } from "@/lib/server/use-cases/app-error";
import { writeCopy } from "@/lib/server/use-cases/write-copy";

/** Briefs as marketers write them: short and long descriptions, audiences with and without a clause. */
const BRIEFS: (CampaignBrief & { brand: string })[] = [
  { brand: "Stride", productName: "Stride Racer 3", productDescription: "A featherweight carbon-plated running shoe with responsive foam, for race day and tempo runs", targetAudience: "Marathon runners chasing a personal best", style: "photographic", tone: "energetic" },
  { brand: "Crumb & Co", productName: "Sourdough subscription", productDescription: "Naturally leavened sourdough baked every morning, delivered warm to your door twice a week", targetAudience: "Busy families who love real bread", style: "illustration", tone: "playful" },
  { brand: "Ledgerly", productName: "Ledgerly", productDescription: "Automated bank reconciliation for finance teams; close the books in a day, with an audit trail", targetAudience: "CFOs and controllers at mid-size companies", style: "minimalist", tone: "trustworthy" },
  { brand: "Lumière", productName: "Vitamin C Glow Serum", productDescription: "A light serum with vitamin C and hyaluronic acid", targetAudience: "Women 25-40 who want glowing skin", style: "luxury", tone: "premium" },
  { brand: "Aurora", productName: "Aurora Cold Brew", productDescription: "Small-batch cold brew coffee in a recyclable glass bottle, smooth and naturally sweet", targetAudience: "Young urban professionals who want great coffee on the go", style: "photographic", tone: "energetic" },
  { brand: "Ridgeline Outfitters", productName: "Ridgeline Storm Shell Jacket for Alpine Expeditions", productDescription: "Three-layer waterproof breathable shell tested on three continents in every kind of weather imaginable, with taped seams, pit zips and a helmet-compatible hood", targetAudience: "Mountaineers", style: "photographic", tone: "calm" },
  { brand: "Bloop", productName: "Bloop", productDescription: "Stackable toys", targetAudience: "Parents", style: "3d-render", tone: "playful" },
];

/** Every word a line may hold: the brief's and brand's words, and the templates' own. */
function vocabulary(brief: CampaignBrief & { brand: string }): Set<string> {
  const source = `${brief.brand} ${brief.productName} ${brief.productDescription} ${brief.targetAudience}`;
  const template =
    "by meet every time made for you why choose see find out learn more shop now discover get yours today order start wait try have met ready better are choosing and is a it not how works started";
  return new Set(`${source} ${template}`.toLowerCase().split(/[^\p{L}\p{N}'&-]+/u).filter(Boolean));
}

const request = (brief: (typeof BRIEFS)[number], formats: (typeof AD_FORMAT_IDS)[number][], angle: (typeof COPY_ANGLE_IDS)[number], attempt = 0, current: CopyDraft = {}) => ({
  brief,
  brandName: brief.brand,
  angle,
  lines: COPY_LINES,
  limits: copyLimits(formats),
  current,
  attempt,
});

describe("the offline copy writer", () => {
  it("writes every line within its platform's limit, for every brief, format and angle, with whole words only", () => {
    for (const brief of BRIEFS) {
      const words = vocabulary(brief);
      for (const format of AD_FORMAT_IDS) {
        for (const angle of COPY_ANGLE_IDS) {
          const limits = copyLimits([format]);
          const lines = writeOffline(request(brief, [format], angle));
          for (const line of COPY_LINES) {
            const text = lines[line]!;
            expect(text.length, `${brief.brand} ${format} ${angle} ${line}: "${text}"`).toBeGreaterThan(0);
            expect(text.length, `${brief.brand} ${format} ${angle} ${line}: "${text}"`).toBeLessThanOrEqual(limits[line]);
            // A cut word would be a fragment no source holds ("delivere", "wit").
            for (const word of text.toLowerCase().split(/[^\p{L}\p{N}'&-]+/u).filter(Boolean)) expect(words.has(word), `"${word}" in "${text}"`).toBe(true);
          }
        }
      }
    }
  });

  it("writes something else on Write again, while another line fits", () => {
    const brief = BRIEFS[4]!;
    const first = writeOffline(request(brief, ["instagram-square"], "benefit"));
    const again = writeOffline(request(brief, ["instagram-square"], "benefit", 1, first));
    expect(again.headline).not.toBe(first.headline);
    expect(again.primaryText).not.toBe(first.primaryText);
  });

  it("reads like its angle: a question asks, urgency says now, social proof names the audience", () => {
    const brief = BRIEFS[4]!;
    expect(writeOffline(request(brief, ["instagram-square"], "question")).headline).toMatch(/\?$/);
    expect(writeOffline(request(brief, ["instagram-square"], "urgency")).headline).toMatch(/today|now/i);
    expect(writeOffline(request(brief, ["link"], "social-proof")).headline).toContain("young urban professionals");
  });
});

describe("platform limits", () => {
  it("holds a link ad to both Facebook's and LinkedIn's limits, and X to its own", () => {
    expect(copyLimits(["link"])).toMatchObject({ headline: 40, primaryText: 125, description: 30 });
    expect(copyLimits(["x"])).toMatchObject({ headline: 70, primaryText: 280 });
    expect(copyLimits(["x", "story"])).toMatchObject({ headline: 40, primaryText: 125 });
  });

  it("refuses a headline an Instagram feed would cut, saying where and by how much, and takes it for X", () => {
    const headline = "Race-ready comfort for every single mile you run"; // 48
    const base = { productName: "Racer", productDescription: "Shoe", targetAudience: "Runners", style: "photographic", tone: "energetic", count: 2 } as const;
    const refused = generateRequestSchema.safeParse({ ...base, format: "instagram-square", design: { ...DEFAULT_DESIGN, headline } });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ["design", "headline"], message: "Shorten the headline to 40 characters or fewer so Instagram feed shows it whole (it has 48)." });
    expect(generateRequestSchema.safeParse({ ...base, format: "x", design: { ...DEFAULT_DESIGN, headline } }).success).toBe(true);
    expect(copyLengthIssues({ primaryText: "x".repeat(126) }, ["link"])[0]!.message).toBe("Shorten the primary text to 125 characters or fewer so Facebook feed and LinkedIn show it whole (it has 126).");
  });
});

/** A hosted writer that answers from a script, as a model that cannot count would. */
function scriptedWriter(replies: ((request: DraftRequest) => CopyDraft | null)[]): CopyWriter & { requests: DraftRequest[] } {
  const requests: DraftRequest[] = [];
  return {
    id: "huggingface",
    requests,
    info: () => ({ id: "huggingface", label: "Hugging Face", model: "meta-llama/Llama-3.3-70B-Instruct", available: true }),
    async draft(request) {
      requests.push(request);
      const lines = replies.shift()!(request);
      if (!lines) return failure("upstream", "Hugging Face failed (HTTP 500).");
      return { ok: true, value: { lines, reply: JSON.stringify(lines) } };
    },
  };
}

const unavailable = (id: "openai" | "huggingface"): CopyWriter => ({ id, info: () => ({ id, label: id, model: null, available: false, reason: `Set the key for ${id}` }), draft: async () => failure("unavailable", "no") });

const input = (extra: object = {}) =>
  writeCopyRequestSchema.parse({ brief: BRIEFS[4]!, brandName: "Aurora", formats: ["instagram-square"], ...extra });

const fine: CopyDraft = { headline: "Cold brew, done right", subline: "Smooth and naturally sweet.", cta: "Shop now", primaryText: "Cold brew that travels with you.", description: "Free delivery" };

describe("writing copy (the use case)", () => {
  it("asks the model once more for a line over its limit, and says so", async () => {
    const writer = scriptedWriter([() => ({ ...fine, headline: "Cold brew so smooth you will want it every single day" }), () => ({ ...fine, headline: "Smooth cold brew, on the go" })]);
    const written = await writeCopy({ writers: { huggingface: writer, openai: unavailable("openai"), offline: new OfflineCopyWriter() }, timeoutMs: 5000 }, input());
    expect(written.lines.headline).toBe("Smooth cold brew, on the go");
    expect(writer.requests[1]!.corrections!.problems).toEqual(['"headline" had 53 characters, at most 40']);
    expect(written.notes[0]).toContain("Asked Hugging Face again for Headline");
  });

  it("takes a line still too long from the offline writer, never cutting it", async () => {
    const tooLong = { ...fine, cta: "Grab your bottle of cold brew today" };
    const writer = scriptedWriter([() => tooLong, () => tooLong]);
    const written = await writeCopy({ writers: { huggingface: writer, openai: unavailable("openai"), offline: new OfflineCopyWriter() }, timeoutMs: 5000 }, input());
    expect(written.lines.cta!.length).toBeLessThanOrEqual(24);
    expect(written.lines.cta).not.toContain("Grab your bottle");
    expect(written.notes.join(" ")).toMatch(/call to action still did not fit.*offline writer/);
  });

  it("answers one line when one is asked for again, and passes the current lines so it says something else", async () => {
    const writer = scriptedWriter([(request) => ({ headline: `Not ${request.current.headline}`.slice(0, 30) })]);
    const written = await writeCopy({ writers: { huggingface: writer, openai: unavailable("openai"), offline: new OfflineCopyWriter() }, timeoutMs: 5000 }, input({ lines: ["headline"], current: { headline: "Cold brew" } }));
    expect(Object.keys(written.lines)).toEqual(["headline"]);
    expect(writer.requests[0]!.lines).toEqual(["headline"]);
    expect(writer.requests[0]!.current.headline).toBe("Cold brew");
  });

  it("uses the offline writer when no text model is set up, and refuses a named writer that is not", async () => {
    const writers = { huggingface: unavailable("huggingface"), openai: unavailable("openai"), offline: new OfflineCopyWriter() };
    const offline = await writeCopy({ writers, timeoutMs: 5000 }, input());
    expect(offline.writer.id).toBe("offline");
    const refused = writeCopy({ writers, timeoutMs: 5000 }, input({ writer: "openai" }));
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "unavailable", message: "Set the key for openai, or choose another writer.", field: "writer" });
  });

  it("passes a provider's failure on as an error with a code", async () => {
    const written = writeCopy({ writers: { huggingface: scriptedWriter([() => null]), openai: unavailable("openai"), offline: new OfflineCopyWriter() }, timeoutMs: 5000 }, input());
    await expect(written).rejects.toMatchObject({ code: "upstream" });
  });
});

describe("reading a model's reply", () => {
  it("finds the object in a code fence or a sentence, and ignores what was not asked", () => {
    expect(readCopyReply('Sure! Here it is:\n```json\n{"headline": " \\"Fresh daily\\" ", "cta": "Order", "extra": 1}\n```', ["headline", "cta"])).toEqual({ headline: "Fresh daily", cta: "Order" });
    expect(readCopyReply("I cannot help with that.", ["headline"])).toBeNull();
  });
});
