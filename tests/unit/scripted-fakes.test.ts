import http from "node:http";
import type { AddressInfo } from "node:net";
import { textToImage } from "@huggingface/inference";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { controlFake, fakeRequests, fakeStatus } from "../support/fakes/fault-script";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import { startFakePollinations } from "../support/fakes/pollinations-legacy";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { freePort, makeTempDir, removeDir } from "../support/app-server";
import { collectSse, isSseComment, readSse, type SseItem } from "../support/sse-client";

const TOKEN = "hf_test_token_123";

async function postHf(
  fake: FakeProvider,
  body: unknown,
  init: { token?: string; signal?: AbortSignal; path?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const req: RequestInit = { method: "POST", headers, body: JSON.stringify(body) };
  if (init.signal) req.signal = init.signal;
  return fetch(`${fake.url}${init.path ?? "/models/stabilityai/stable-diffusion-xl-base-1.0"}`, req);
}

describe("fake Hugging Face", () => {
  let hf: FakeProvider;
  beforeAll(async () => {
    hf = await startFakeHuggingFace();
  });
  afterAll(async () => {
    await hf.close();
  });
  afterEach(async () => {
    await hf.waitForIdle(5_000);
    hf.reset();
  });

  it("answers ok with a PNG of the requested size and records token + JSON body", async () => {
    const body = { inputs: "a red shoe", parameters: { negative_prompt: "blurry", width: 512, height: 384, seed: 7 } };
    const res = await postHf(hf, body, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const buf = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(buf).metadata();
    expect(meta.format).toBe("png");
    expect(meta.width).toBe(512);
    expect(meta.height).toBe(384);

    await hf.waitForRequests(1);
    await hf.waitForIdle();
    const rec = hf.requests[0];
    expect(rec).toBeDefined();
    expect(rec?.method).toBe("POST");
    expect(rec?.path).toBe("/models/stabilityai/stable-diffusion-xl-base-1.0");
    expect(rec?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(rec?.headers["content-type"]).toBe("application/json");
    expect(rec?.body).toEqual(body);
    expect(rec?.prompt).toBe("a red shoe");
    expect(rec?.width).toBe(512);
    expect(rec?.height).toBe(384);
    expect(rec?.seed).toBe(7);
    expect(rec?.outcome).toBe("answered");
    expect(rec?.endedAt).toBeGreaterThanOrEqual(rec?.startedAt ?? Infinity);
  });

  it("defaults to 1024x1024 when no size is given", async () => {
    const res = await postHf(hf, { inputs: "x" });
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 1024]);
  });

  it("speaks the protocol @huggingface/inference textToImage uses with endpointUrl", async () => {
    const blob = await textToImage(
      {
        endpointUrl: `${hf.url}/custom/endpoint`,
        accessToken: TOKEN,
        inputs: "a blue bag",
        parameters: { width: 256, height: 320, seed: 3, negative_prompt: "text" },
      },
      { outputType: "blob" },
    );
    const meta = await sharp(Buffer.from(await blob.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 256, 320]);
    const rec = hf.requests[0];
    expect(rec?.path).toBe("/custom/endpoint");
    expect(rec?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(rec?.body).toEqual({ inputs: "a blue bag", parameters: { width: 256, height: 320, seed: 3, negative_prompt: "text" } });
  });

  it("loading gives 503 with the HF JSON", async () => {
    hf.script({ kind: "loading", estimatedTime: 20.5 });
    const res = await postHf(hf, { inputs: "x" });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: "Model stabilityai/stable-diffusion-xl-base-1.0 is currently loading",
      estimated_time: 20.5,
    });
  });

  it("consumes the script in order, then falls back to the default", async () => {
    hf.script({ kind: "status", status: 500 }, { kind: "ok" }, { kind: "status", status: 400, body: "bad size" });
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await postHf(hf, { inputs: `p${i}`, parameters: { width: 64, height: 64 } });
      statuses.push(res.status);
      bodies.push(res.headers.get("content-type")?.startsWith("application/json") ? await res.json() : "image");
    }
    expect(statuses).toEqual([500, 200, 400, 200]);
    expect(bodies).toEqual([{ error: "Internal Server Error" }, "image", { error: "bad size" }, "image"]);

    hf.setDefault({ kind: "status", status: 401 });
    expect((await postHf(hf, { inputs: "x" })).status).toBe(401);
  });

  it("429 carries Retry-After", async () => {
    hf.script({ kind: "status", status: 429, retryAfter: "3" });
    const res = await postHf(hf, { inputs: "x" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    const json = (await res.json()) as { error: string };
    expect(typeof json.error).toBe("string");
  });

  it("hang + client abort records aborted-by-client and open requests return to 0", async () => {
    hf.script({ kind: "hang" });
    const ac = new AbortController();
    const pending = postHf(hf, { inputs: "x" }, { signal: ac.signal });
    await hf.waitForRequests(1);
    expect(hf.openRequests()).toBe(1);
    ac.abort();
    await expect(pending).rejects.toThrow();
    await hf.waitForIdle(5_000);
    expect(hf.openRequests()).toBe(0);
    expect(hf.requests[0]?.outcome).toBe("aborted-by-client");
    expect(hf.requests[0]?.endedAt).toBeTypeOf("number");
  });

  it("latency delays ok answers; client abort during latency is recorded", async () => {
    hf.setLatency(150);
    const t0 = Date.now();
    const res = await postHf(hf, { inputs: "x", parameters: { width: 32, height: 32 } });
    await res.arrayBuffer();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    const ac = new AbortController();
    const p = postHf(hf, { inputs: "y" }, { signal: ac.signal });
    await hf.waitForRequests(2);
    ac.abort();
    await expect(p).rejects.toThrow();
    await hf.waitForIdle();
    expect(hf.requests[1]?.outcome).toBe("aborted-by-client");
  });

  it("broken bodies: html, truncated, empty, reset, oversized, drip", async () => {
    const size = { width: 200, height: 100 };
    hf.script(
      { kind: "html" },
      { kind: "truncated" },
      { kind: "empty" },
      { kind: "reset" },
      { kind: "oversized", width: 3000, height: 2000 },
      { kind: "drip", intervalMs: 1 },
    );

    const html = await postHf(hf, { inputs: "x", parameters: size });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("image/png");
    expect(await html.text()).toMatch(/<html/i);

    const trunc = await postHf(hf, { inputs: "x", parameters: size });
    expect(trunc.status).toBe(200);
    await expect(sharp(Buffer.from(await trunc.arrayBuffer())).toBuffer()).rejects.toThrow();

    const empty = await postHf(hf, { inputs: "x", parameters: size });
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);

    const reset = await postHf(hf, { inputs: "x", parameters: size });
    expect(reset.status).toBe(200);
    await expect(reset.arrayBuffer()).rejects.toThrow();

    const big = await postHf(hf, { inputs: "x", parameters: size });
    const bigMeta = await sharp(Buffer.from(await big.arrayBuffer())).metadata();
    expect([bigMeta.width, bigMeta.height]).toEqual([3000, 2000]);

    const drip = await postHf(hf, { inputs: "x", parameters: { width: 16, height: 16 } });
    const dripMeta = await sharp(Buffer.from(await drip.arrayBuffer())).metadata();
    expect([dripMeta.width, dripMeta.height]).toEqual([16, 16]);

    await hf.waitForIdle();
    expect(hf.requests.map((r) => r.outcome)).toEqual(["answered", "answered", "answered", "destroyed", "answered", "answered"]);
  });

  it("drip stops when the client goes away", async () => {
    hf.script({ kind: "drip", intervalMs: 50 });
    const ac = new AbortController();
    const res = await postHf(hf, { inputs: "x" }, { signal: ac.signal });
    expect(res.status).toBe(200);
    ac.abort();
    await hf.waitForIdle();
    expect(hf.requests[0]?.outcome).toBe("aborted-by-client");
  });

  it("non-POST is 405; invalid JSON is 400", async () => {
    expect((await fetch(`${hf.url}/models/x`)).status).toBe(405);
    const bad = await fetch(`${hf.url}/models/x`, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
  });

  it("reset() clears records, script and latency", async () => {
    hf.script({ kind: "status", status: 500 });
    hf.setLatency(5_000);
    hf.setDefault({ kind: "empty" });
    hf.reset();
    const res = await postHf(hf, { inputs: "x", parameters: { width: 8, height: 8 } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect(hf.requests).toHaveLength(1);
  });
});

describe("fake Hugging Face with requireToken", () => {
  it("rejects missing/wrong bearer with 401 without consuming the script", async () => {
    const hf = await startFakeHuggingFace({ requireToken: TOKEN });
    try {
      hf.script({ kind: "status", status: 500 });
      const none = await postHf(hf, { inputs: "x" });
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ error: "Invalid credentials in Authorization header" });
      expect((await postHf(hf, { inputs: "x" }, { token: "hf_wrong" })).status).toBe(401);
      expect((await postHf(hf, { inputs: "x" }, { token: TOKEN })).status).toBe(500);
      expect((await postHf(hf, { inputs: "x", parameters: { width: 8, height: 8 } }, { token: TOKEN })).status).toBe(200);
    } finally {
      await hf.close();
    }
  });

  it("close() force-closes hanging requests", async () => {
    const hf = await startFakeHuggingFace();
    hf.setDefault({ kind: "hang" });
    const p = postHf(hf, { inputs: "x" });
    await hf.waitForRequests(1);
    await hf.close();
    await expect(p).rejects.toThrow();
    expect(hf.openRequests()).toBe(0);
    expect(hf.requests[0]?.outcome).toBe("destroyed");
  });
});

describe("fake Pollinations", () => {
  let pol: FakeProvider;
  beforeAll(async () => {
    pol = await startFakePollinations({ latencyMs: 0 });
  });
  afterAll(async () => {
    await pol.close();
  });
  afterEach(async () => {
    await pol.waitForIdle(5_000);
    pol.reset();
  });

  it("GET /prompt/<prompt> returns a JPEG of the requested size", async () => {
    const prompt = "sunset over the sea, 50% off & free shipping";
    const res = await fetch(
      `${pol.url}/prompt/${encodeURIComponent(prompt)}?width=640&height=360&seed=42&model=flux&nologo=true`,
      { headers: { authorization: "Bearer pk_abc" } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 640, 360]);
    await pol.waitForIdle();
    const rec = pol.requests[0];
    expect(rec?.method).toBe("GET");
    expect(rec?.prompt).toBe(prompt);
    expect(rec?.query).toEqual({ width: "640", height: "360", seed: "42", model: "flux", nologo: "true" });
    expect([rec?.width, rec?.height, rec?.seed]).toEqual([640, 360, 42]);
    expect(rec?.body).toBeUndefined();
    expect(rec?.headers.authorization).toBe("Bearer pk_abc");
    expect(rec?.outcome).toBe("answered");
  });

  it("other paths are 404; behaviours apply", async () => {
    expect((await fetch(`${pol.url}/nope`)).status).toBe(404);
    pol.script({ kind: "status", status: 429, retryAfter: "1" });
    const res = await fetch(`${pol.url}/prompt/x?width=64&height=64`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
  });
});

describe("/__control", () => {
  it("applies latency/script/default/reset and reports counts", async () => {
    const hf = await startFakeHuggingFace();
    try {
      expect(await fakeStatus(hf.url)).toEqual({ requests: 0, open: 0 });

      await controlFake(hf.url, { script: [{ kind: "status", status: 503 }, { kind: "loading", estimatedTime: 1 }] });
      expect((await postHf(hf, { inputs: "a" })).status).toBe(503);
      const loading = await postHf(hf, { inputs: "b" });
      expect(((await loading.json()) as { estimated_time: number }).estimated_time).toBe(1);

      await controlFake(hf.url, { default: { kind: "status", status: 500 } });
      expect((await postHf(hf, { inputs: "c" })).status).toBe(500);
      await hf.waitForIdle();
      expect(await fakeStatus(hf.url)).toEqual({ requests: 3, open: 0 });
      expect((await fakeRequests(hf.url)).map((r) => r.prompt)).toEqual(["a", "b", "c"]);

      // hang → open counts
      await controlFake(hf.url, { script: [{ kind: "hang" }] });
      const ac = new AbortController();
      const p = postHf(hf, { inputs: "d" }, { signal: ac.signal });
      await hf.waitForRequests(4);
      expect(await fakeStatus(hf.url)).toEqual({ requests: 4, open: 1 });
      ac.abort();
      await expect(p).rejects.toThrow();
      await hf.waitForIdle();

      // raw HTTP shape + reset + latency
      const raw = await fetch(`${hf.url}/__control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reset: true, latencyMs: 120 }),
      });
      expect(raw.status).toBe(200);
      const get = await fetch(`${hf.url}/__control`);
      expect(await get.json()).toEqual({ requests: 0, open: 0 });
      const t0 = Date.now();
      const ok = await postHf(hf, { inputs: "e", parameters: { width: 8, height: 8 } });
      expect(ok.status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(110);

      const bad = await fetch(`${hf.url}/__control`, { method: "POST", body: JSON.stringify({ script: [{ kind: "nope" }] }) });
      expect(bad.status).toBe(400);
      // control requests are not recorded
      expect(hf.requests).toHaveLength(1);
    } finally {
      await hf.close();
    }
  });

  it("works on Pollinations too", async () => {
    const pol = await startFakePollinations();
    try {
      await controlFake(pol.url, { script: [{ kind: "empty" }] });
      const res = await fetch(`${pol.url}/prompt/hi`);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      expect(await fakeStatus(pol.url)).toMatchObject({ requests: 1 });
    } finally {
      await pol.close();
    }
  });
});

describe("fake throughput", () => {
  it("serves many concurrent requests from the image cache", async () => {
    const hf = await startFakeHuggingFace({ latencyMs: 20 });
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          postHf(hf, { inputs: `p${i}`, parameters: { width: 1024, height: 1024, seed: i } }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      expect(results.every((s) => s === 200)).toBe(true);
      await hf.waitForIdle();
      expect(hf.requests.filter((r) => r.outcome === "answered")).toHaveLength(40);
    } finally {
      await hf.close();
    }
  });
});

describe("sse-client", () => {
  async function serve(chunks: string[], delayMs = 5): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let i = 0;
      const next = (): void => {
        const c = chunks[i++];
        if (c === undefined) {
          res.end();
          return;
        }
        res.write(c);
        setTimeout(next, delayMs);
      };
      next();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/`,
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  }

  const strip = (items: SseItem[]): unknown[] =>
    items.map((it) => {
      if (isSseComment(it)) return { comment: it.comment };
      const rest: Record<string, unknown> = { ...it };
      delete rest.receivedAt;
      return rest;
    });

  it("parses LF, CRLF, CR, split chunks, multi-line data and comments", async () => {
    const srv = await serve([
      ": hello\n\n",
      "event: progress\nid: 1\ndata: {\"a\":1}\n\n",
      "data: line1\r\ndata: line2\r",
      "\n\r\n",
      "data:no-space\rdata:  two-spaces\r\r",
      "event: done\nda",
      "ta: x\n",
      "\n",
      "event: only-event\n\n",
      "retry: 100\nunknown: y\ndata\n\n",
      "data: unterminated",
    ]);
    try {
      const res = await fetch(srv.url);
      const items = await collectSse(res);
      expect(strip(items)).toEqual([
        { comment: "hello" },
        { event: "progress", id: "1", data: '{"a":1}' },
        { data: "line1\nline2" },
        { data: "no-space\n two-spaces" },
        { event: "done", data: "x" },
        { data: "" },
      ]);
      for (const it of items) expect(it.receivedAt).toBeTypeOf("number");
    } finally {
      await srv.close();
    }
  });

  it("can stop early", async () => {
    const srv = await serve(Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`), 10);
    try {
      const res = await fetch(srv.url);
      const seen: string[] = [];
      for await (const it of readSse(res)) {
        if (!isSseComment(it)) seen.push(it.data);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual(["0", "1", "2"]);
    } finally {
      await srv.close();
    }
  });
});

describe("app-server helpers", () => {
  it("freePort and makeTempDir", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const dir = makeTempDir("fake-providers-test");
    expect(dir).toContain("fake-providers-test");
    removeDir(dir);
  });
});
