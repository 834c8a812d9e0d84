import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF } from "../support/generation-client";
import { postSse, readAllMessages, sseJson } from "../support/sse-client";

/**
 * A deploy or restart (SIGTERM) in the middle of a batch, through `npm start`'s script: new runs
 * are refused with 503, the images in flight finish and are announced, the rest is left pending,
 * the streams close without a `done`, and the next start resumes the job by itself.
 */

let hf: FakeProvider;
let dataDir: string;
const apps: AppServer[] = [];

function envFor(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HF_TOKEN: "hf_restartTestToken",
    HF_ENDPOINT_URL: `${hf.url}/models/stabilityai/stable-diffusion-xl-base-1.0`,
    DATA_DIR: dataDir,
    GENERATION_CONCURRENCY: "2",
    GENERATION_TIMEOUT_MS: "30000",
    SHUTDOWN_GRACE_MS: "15000",
    ...extra,
  };
}

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  dataDir = makeTempDir("acg-restarts-");
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await hf?.close();
  removeDir(dataDir);
});

const exited = (app: AppServer) =>
  new Promise<number | null>((resolve) => {
    if (app.process.exitCode !== null || app.process.signalCode !== null) return resolve(app.process.exitCode);
    app.process.once("exit", (code) => resolve(code));
  });

describe("SIGTERM in the middle of a batch", () => {
  it("finishes the images in flight, refuses new runs, and the next start completes the job with no click", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 1500 });
    const first = await startApp(envFor());
    apps.push(first);

    const response = await postSse(`${first.url}/api/generate-images`, { ...BRIEF, provider: "huggingface", count: 6 });
    expect(response.status).toBe(200);
    let refused: Response | undefined;
    let signalled = false;
    const seen = await readAllMessages(response, (message, all) => {
      // After the second image, images 3 and 4 are in flight and 5 and 6 are waiting.
      if (!signalled && all.filter((m) => m.event === "image").length === 2) {
        signalled = true;
        first.process.kill("SIGTERM");
        void new Promise((resolve) => setTimeout(resolve, 200))
          .then(() => fetch(`${first.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, count: 1 }) }))
          .then((answer) => (refused = answer));
      }
    });
    expect(await exited(first)).toBe(143);

    // The images in flight were finished and announced; the stream closed without a `done`.
    const announced = seen.filter((m) => m.event === "image").map((m) => sseJson<{ index: number; url: string; rawUrl: string; thumbUrl: string }>(m));
    expect(announced).toHaveLength(4);
    expect(seen.some((m) => m.event === "done")).toBe(false);
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get("retry-after")).toBe("5");
    expect(((await refused!.json()) as { error: string }).error).toMatch(/restarting/);
    expect(first.logs()).toMatch(/\[shutdown\] SIGTERM/);
    expect(first.logs()).toMatch(/1 running job\(s\); 0 left unfinished/);

    // The next start resumes the job by itself.
    const jobId = sseJson<{ jobId: string }>(seen.find((m) => m.event === "start")!).jobId;
    const lastId = seen.filter((m) => m.id).at(-1)!.id!;
    const second = await startApp(envFor());
    apps.push(second);
    await expect.poll(() => second.logs()).toMatch(new RegExp(`resumed job ${jobId} \\(2 image\\(s\\) left\\)`));

    // A page that reconnects where it was follows the resumed run to the end, ids continuing.
    const rest = await readAllMessages(await fetch(`${second.url}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream", "last-event-id": lastId } }));
    const ids = [...seen, ...rest].filter((m) => m.id).map((m) => Number(m.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    expect(rest.filter((m) => m.event === "start")).toHaveLength(1);
    expect(sseJson<{ indices: number[] }>(rest.find((m) => m.event === "start")!).indices).toEqual([4, 5]);
    expect(sseJson<{ status: string }>(rest.filter((m) => m.event === "done").at(-1)!).status).toBe("completed");

    const job = (await (await fetch(`${second.url}/api/jobs/${jobId}`)).json()) as { status: string; images: { status: string; url: string | null }[] };
    expect(job.status).toBe("completed");
    expect(job.images.map((image) => image.status)).toEqual(["done", "done", "done", "done", "done", "done"]);
    // Every image announced before the restart is still there, at the same address.
    for (const image of announced) {
      for (const url of [image.url, image.rawUrl, image.thumbUrl]) expect((await fetch(`${second.url}${url}`)).status).toBe(200);
    }
    expect(second.outboundAttempts()).toEqual([]);
  });

  it("with AUTO_RESUME=false the job waits, interrupted, for Resume", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 1500 });
    const first = await startApp(envFor({ SHUTDOWN_GRACE_MS: "0" }));
    apps.push(first);
    const response = await postSse(`${first.url}/api/generate-images`, { ...BRIEF, provider: "huggingface", count: 4 });
    let jobId = "";
    let signalled = false;
    await readAllMessages(response, (message) => {
      if (message.event === "start") jobId = sseJson<{ jobId: string }>(message).jobId;
      if (!signalled && message.event === "progress" && sseJson<{ status: string }>(message).status === "generating") {
        signalled = true;
        first.process.kill("SIGTERM");
      }
    });
    expect(await exited(first)).toBe(143);
    const second = await startApp(envFor({ AUTO_RESUME: "false" }));
    apps.push(second);
    expect(second.logs()).toMatch(/open them to Resume \(AUTO_RESUME=false\)/);
    const job = (await (await fetch(`${second.url}/api/jobs/${jobId}`)).json()) as { status: string };
    expect(job.status).toBe("interrupted");
  });
});
