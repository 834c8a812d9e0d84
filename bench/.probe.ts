import { makeTempDir, startApp } from "../tests/support/app-server";
import { BRIEF } from "../tests/support/generation-client";
import { readSse, isSseComment } from "../tests/support/sse-client";
import { startRealisticProvider } from "./realistic-provider";
const provider = await startRealisticProvider(1000);
const app = await startApp({ HF_TOKEN: "hf_bench", HF_ENDPOINT_URL: provider.url, DATA_DIR: makeTempDir("probe-"), GENERATION_CONCURRENCY: "8", POLLINATIONS_LEGACY_URL: "http://127.0.0.1:9" });
for (let run = 0; run < 4; run++) {
  const response = await fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, provider: "huggingface", count: 4 }) });
  const out: string[] = [];
  for await (const item of readSse(response)) {
    if (isSseComment(item)) continue;
    const now = Date.now();
    const data = JSON.parse(item.data);
    if (item.event === "preview") out.push(`preview ${data.index} +${now - data.providerDoneAt}ms`);
    if (item.event === "image") out.push(`image ${data.index} +${now - data.providerDoneAt}ms`);
  }
  console.log(out.join(" | "));
}
console.log(app.logs().split("\n").filter((l) => l.includes("[probe]")).join("\n")); await app.stop(); await provider.close();
