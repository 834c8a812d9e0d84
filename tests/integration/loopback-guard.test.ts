import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOOPBACK_GUARD, makeTempDir, readOutboundAttempts, removeDir, startApp, type AppServer } from "../support/app-server";

// The other suites assert `outboundAttempts()` is empty; these prove the guard would have seen it.
const dirs: string[] = [];
let app: AppServer | undefined;

afterAll(async () => {
  await app?.stop();
  for (const dir of dirs) removeDir(dir);
});

describe("the loopback guard every app under test runs with", () => {
  it("refuses and records a connection to a public host, before any packet leaves, and lets loopback through", () => {
    const dir = makeTempDir("acg-guard-unit-");
    dirs.push(dir);
    const log = path.join(dir, "outbound.log");
    const script = `
      const http = require("node:http");
      const server = http.createServer((q, s) => s.end("local ok")).listen(0, "127.0.0.1", async () => {
        const local = await (await fetch("http://127.0.0.1:" + server.address().port)).text();
        let remote;
        try { await fetch("https://huggingface.co/api/whoami-v2"); remote = "reached"; } catch (e) { remote = String(e.cause && e.cause.code); }
        console.log(JSON.stringify({ local, remote }));
        server.close();
      });`;
    const result = spawnSync(process.execPath, ["--require", LOOPBACK_GUARD, "-e", script], { env: { ...process.env, LOOPBACK_GUARD_LOG: log }, encoding: "utf8", timeout: 20_000 });
    expect(JSON.parse(result.stdout.trim())).toEqual({ local: "local ok", remote: "ELOOPBACKONLY" });
    expect(readOutboundAttempts(log).join("\n")).toMatch(/huggingface\.co/);
  });

  it("is loaded into the app: one left on Hugging Face's real hosts is caught checking its token at start-up", async () => {
    const dataDir = makeTempDir("acg-guard-app-");
    dirs.push(dataDir);
    app = await startApp({ HF_TOKEN: "hf_guardProbeToken0123456789", DATA_DIR: dataDir });
    const deadline = Date.now() + 15_000;
    while (app.outboundAttempts().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.outboundAttempts().join("\n")).toMatch(/huggingface\.co/);
    // The refusal reaches the page as a plain reason, and the token stays out of the logs.
    const providers = await (await fetch(`${app.url}/api/providers`)).json();
    const huggingface = providers.providers.find((provider: { id: string }) => provider.id === "huggingface");
    expect(huggingface.account.message).toMatch(/Could not reach the Hugging Face Hub to check HF_TOKEN/);
    expect(app.logs()).not.toContain("hf_guardProbeToken0123456789");
  });
});
