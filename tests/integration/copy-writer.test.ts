import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startHuggingFaceStandIn, type HuggingFaceStandIn } from "../support/fakes/hugging-face";
import { STAND_IN_MODELS } from "../support/fakes/hub-models";
import { startOpenAiStandIn, type OpenAiStandIn } from "../support/fakes/openai";

/**
 * The copy writer over real HTTP: the app started with its real clients (the Hugging Face
 * inference client's chatCompletion, the OpenAI SDK's Responses API) against our stand-ins on
 * 127.0.0.1, and with no token at all (the offline writer).
 */

const HF_TOKEN = "hf_standInToken0123456789abcdef";
const OPENAI_KEY = "sk-standIn0123456789";

let hf: HuggingFaceStandIn;
let openai: OpenAiStandIn;
let app: AppServer;
let offlineApp: AppServer;
const dataDirs: string[] = [];

const BRIEF = {
  productName: "Aurora Cold Brew",
  productDescription: "Small-batch cold brew coffee in a recyclable glass bottle, smooth and naturally sweet",
  targetAudience: "Young urban professionals who want great coffee on the go",
  style: "photographic",
  tone: "energetic",
} as const;

const ask = (server: AppServer, body: object) => fetch(`${server.url}/api/copy`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const asked = (extra: object = {}) => ({ brief: BRIEF, brandName: "Aurora", formats: ["instagram-square"], ...extra });

interface Written {
  writer: { id: string; model: string | null };
  lines: Record<string, string>;
  notes: string[];
  limits: Record<string, number>;
}

function expectWithinLimits(written: Written) {
  for (const [line, text] of Object.entries(written.lines)) {
    expect(text.length, `${line}: "${text}"`).toBeGreaterThan(0);
    expect(text.length, `${line}: "${text}"`).toBeLessThanOrEqual(written.limits[line]!);
  }
}

beforeAll(async () => {
  hf = await startHuggingFaceStandIn({ models: STAND_IN_MODELS, tokens: { [HF_TOKEN]: { name: "ada", role: "fineGrained", permissions: ["inference.serverless.write"] } } });
  openai = await startOpenAiStandIn({ keys: [OPENAI_KEY] });
  const env = (extra: Record<string, string>) => {
    const dataDir = makeTempDir("acg-copy-");
    dataDirs.push(dataDir);
    return { DATA_DIR: dataDir, HF_HUB_URL: hf.hubUrl, HF_ROUTER_URL: hf.routerUrl, OPENAI_BASE_URL: openai.baseUrl, COPY_TIMEOUT_MS: "3000", ...extra };
  };
  [app, offlineApp] = await Promise.all([startApp(env({ HF_TOKEN, OPENAI_API_KEY: OPENAI_KEY })), startApp(env({}))]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), offlineApp?.stop()]);
  await Promise.all([hf?.close(), openai?.close()]);
  for (const dir of dataDirs) removeDir(dir);
});

beforeEach(() => {
  hf.reset();
  openai.reset();
});

afterEach(() => {
  expect(app.outboundAttempts()).toEqual([]);
  expect(offlineApp.outboundAttempts()).toEqual([]);
});

describe("the copy writers", () => {
  it("lists Hugging Face, OpenAI and the offline templates, with their models and whether each is set up", async () => {
    const listed = (await (await fetch(`${app.url}/api/copy`)).json()) as { writers: { id: string; available: boolean; model: string | null }[] };
    expect(listed.writers).toEqual([
      { id: "huggingface", label: "Hugging Face", model: "meta-llama/Llama-3.3-70B-Instruct", available: true },
      { id: "openai", label: "OpenAI", model: "gpt-5-mini", available: true },
      { id: "offline", label: "Built-in templates (offline)", model: null, available: true },
    ]);
    const offline = (await (await fetch(`${offlineApp.url}/api/copy`)).json()) as { writers: { id: string; available: boolean; reason?: string }[] };
    expect(offline.writers.map((writer) => [writer.id, writer.available])).toEqual([["huggingface", false], ["openai", false], ["offline", true]]);
    expect(offline.writers[0]!.reason).toBe("Set HF_TOKEN in .env.local to write copy with Hugging Face");
  });
});

describe("Hugging Face (chat completion through the router, with the same HF_TOKEN)", () => {
  it("drafts every line within the platform's limits, from a reply wrapped in a code fence", async () => {
    const response = await ask(app, asked());
    expect(response.status).toBe(200);
    const written = (await response.json()) as Written;
    expect(written.writer).toMatchObject({ id: "huggingface", model: "meta-llama/Llama-3.3-70B-Instruct" });
    expect(Object.keys(written.lines)).toEqual(["headline", "subline", "cta", "primaryText", "description"]);
    expect(written.lines.headline).toContain("Aurora Cold Brew");
    expectWithinLimits(written);
    expect(written.limits).toMatchObject({ headline: 40, primaryText: 125, description: 30 });
    const [call] = hf.of("router", "/v1/chat/completions");
    expect(call!.headers.authorization).toBe(`Bearer ${HF_TOKEN}`);
    const body = call!.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe("meta-llama/Llama-3.3-70B-Instruct");
    expect(body.messages[1]!.content).toContain('"headline": at most 40 characters');
    expect(body.messages[1]!.content).toContain("Audience: Young urban professionals who want great coffee on the go");
  });

  it("asks once more when a line is over its limit, and says which", async () => {
    hf.scriptChat({ overLimit: { headline: 14 } });
    const written = (await (await ask(app, asked())).json()) as Written;
    expectWithinLimits(written);
    expect(hf.of("router", "/v1/chat/completions")).toHaveLength(2);
    const second = hf.of("router", "/v1/chat/completions")[1]!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second.messages[3]!.content).toMatch(/"headline" had (5[4-9]|6\d) characters, at most 40/);
    expect(written.notes[0]).toMatch(/^Asked Hugging Face again for Headline/);
  });

  it("takes a line from the offline writer when the model overshoots twice, and never cuts one", async () => {
    hf.scriptChat({ overLimit: { cta: 10 } }, { reply: '{"headline":"Smooth cold brew","subline":"Naturally sweet.","cta":"Grab a bottle of the good stuff today","primaryText":"Cold brew for your commute.","description":"Smooth and sweet"}' });
    const written = (await (await ask(app, asked())).json()) as Written;
    expectWithinLimits(written);
    expect(written.lines.cta).not.toMatch(/^Grab a bottle/);
    expect(written.notes.join(" ")).toContain("call to action still did not fit");
  });

  it("writes one line again, saying something other than the current one", async () => {
    const written = (await (await ask(app, asked({ lines: ["cta"], current: { cta: "Shop now" } }))).json()) as Written;
    expect(Object.keys(written.lines)).toEqual(["cta"]);
    const prompt = (hf.of("router", "/v1/chat/completions")[0]!.body as { messages: { content: string }[] }).messages[1]!.content;
    expect(prompt).toContain('Say it differently from the current lines:\n"cta": "Shop now"');
    expect(prompt).not.toContain('"headline": at most');
  });

  it("says what to do when the account has no credits, the reply is not copy, or the model is too slow", async () => {
    hf.scriptChat({ status: 402, body: { error: "You have exceeded your monthly included credits for Inference Providers." } });
    const broke = await ask(app, asked());
    expect(broke.status).toBe(400);
    expect(((await broke.json()) as { error: string }).error).toMatch(/no credits left \(HTTP 402\)\. Add credits at huggingface\.co\/settings\/billing/);

    hf.scriptChat({ reply: "I'm sorry, I can't help with that." });
    const chatty = await ask(app, asked());
    expect(chatty.status).toBe(502);
    expect(((await chatty.json()) as { error: string }).error).toContain("did not answer with the lines asked for");

    hf.scriptChat({ latencyMs: 6000 });
    const slow = await ask(app, asked());
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: string }).error).toBe("Hugging Face did not answer in time. Try again, or use the offline writer.");
  });
});

describe("OpenAI (Responses API with Structured Outputs)", () => {
  it("drafts the lines with a strict JSON schema of exactly the asked lines", async () => {
    const response = await ask(app, asked({ writer: "openai", formats: ["x"], angle: "question" }));
    expect(response.status).toBe(200);
    const written = (await response.json()) as Written;
    expect(written.writer).toMatchObject({ id: "openai", model: "gpt-5-mini" });
    expect(written.limits).toMatchObject({ headline: 70, primaryText: 280 });
    expectWithinLimits(written);
    const call = openai.requests.find((request) => request.path === "/v1/responses")!;
    const body = call.body as { model: string; text: { format: { type: string; strict: boolean; schema: { required: string[] } } }; input: { content: string }[] };
    expect(body.model).toBe("gpt-5-mini");
    expect(body.text.format).toMatchObject({ type: "json_schema", strict: true });
    expect(body.text.format.schema.required).toEqual(["headline", "subline", "cta", "primaryText", "description"]);
    expect(body.input[0]!.content).toContain("Angle: Question");
  });

  it("says the key was refused", async () => {
    openai.control({ text: [{ status: 401, body: { error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" } } }] });
    const refused = await ask(app, asked({ writer: "openai" }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/OpenAI refused the key \(HTTP 401\).*Check OPENAI_API_KEY/);
  });
});

describe("with no token", () => {
  it("writes from the offline templates, and refuses a hosted writer that is not set up", async () => {
    const response = await ask(offlineApp, asked({ formats: ["link"] }));
    expect(response.status).toBe(200);
    const written = (await response.json()) as Written;
    expect(written.writer.id).toBe("offline");
    expect(written.lines.headline).toContain("Aurora Cold Brew");
    expectWithinLimits(written);

    const refused = await ask(offlineApp, asked({ writer: "huggingface" }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "Set HF_TOKEN in .env.local to write copy with Hugging Face, or choose another writer.",
      issues: [{ path: "writer", message: "Set HF_TOKEN in .env.local to write copy with Hugging Face, or choose another writer." }],
    });
  });

  it("refuses a request it cannot read, saying which field to fix", async () => {
    const response = await ask(offlineApp, asked({ formats: [], angle: "shouting" }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toEqual(expect.arrayContaining([{ path: "formats", message: "Pick at least one format." }, { path: "angle", message: "angle must be one of: benefit, social-proof, urgency, question" }]));
  });

  it("refuses a run whose headline the platform would cut, naming the field", async () => {
    const response = await fetch(`${offlineApp.url}/api/generate-images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...BRIEF, format: "story", count: 1, provider: "builtin", design: { brandName: "Aurora", primaryColor: "#1F2A44", secondaryColor: "#F2B84B", headline: "Cold brew that is smooth, sweet and always ready", subline: "", cta: "Shop now", layout: "bottom-band", logoId: null } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toEqual([{ path: "design.headline", message: "Shorten the headline to 40 characters or fewer so Stories and Reels show it whole (it has 48)." }]);
  });
});

describe("the limit on hosted drafts", () => {
  it("refuses drafts from a hosted writer past COPY_DRAFTS_PER_MINUTE with Retry-After, and never limits the offline templates", async () => {
    const dataDir = makeTempDir("acg-copy-limit-");
    dataDirs.push(dataDir);
    const limited = await startApp({ DATA_DIR: dataDir, HF_HUB_URL: hf.hubUrl, HF_ROUTER_URL: hf.routerUrl, HF_TOKEN, COPY_TIMEOUT_MS: "3000", COPY_DRAFTS_PER_MINUTE: "2" });
    try {
      for (let i = 0; i < 2; i++) expect((await ask(limited, asked({ writer: "huggingface" }))).status).toBe(200);
      const refused = await ask(limited, asked({ writer: "huggingface" }));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: string; issues: { path: string }[] };
      expect(body.error).toMatch(/^Too many drafts from a hosted copy writer: at most 2 a minute\. Try again in \d+ s, or choose the offline templates\.$/);
      expect(body.issues[0]!.path).toBe("writer");
      // The refused draft never reached the provider; the templates still write.
      expect(hf.of("router", "/v1/chat/completions")).toHaveLength(2);
      for (let i = 0; i < 3; i++) expect((await ask(limited, asked({ writer: "offline" }))).status).toBe(200);
      expect(limited.outboundAttempts()).toEqual([]);
    } finally {
      await limited.stop();
    }
  });
});
