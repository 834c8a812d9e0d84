import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The obvious design we compare against: one request generates the images one after another
 * and inlines each as base64 in the stream. Same provider, same machine, same run.
 */
export async function startNaiveBaseline(providerUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const count = Number(url.searchParams.get("count") ?? "4");
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (let index = 0; index < count; index++) {
      const response = await fetch(providerUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer hf_bench" },
        body: JSON.stringify({ inputs: `naive prompt ${index}`, parameters: { width: 1024, height: 1024, seed: index } }),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      res.write(`event: image\ndata: ${JSON.stringify({ index, mimeType: "image/png", b64: bytes.toString("base64") })}\n\n`);
    }
    res.end(`event: done\ndata: {}\n\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
