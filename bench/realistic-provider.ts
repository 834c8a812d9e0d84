import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

/**
 * A stand-in for Hugging Face on 127.0.0.1 that answers after a fixed latency with a PNG as large
 * as a real SDXL picture (a detailed, poorly compressible image), so byte counts are honest.
 */
export async function startRealisticProvider(latencyMs: number) {
  const cache = new Map<string, Promise<Buffer>>();
  const picture = (width: number, height: number) => {
    const key = `${width}x${height}`;
    if (!cache.has(key)) {
      // Smooth gradients plus fine noise: roughly the 1–2 MB a photographic 1024² PNG weighs.
      const noise = Buffer.alloc(width * height * 3);
      let state = 42;
      for (let i = 0; i < noise.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        const x = (i / 3) % width;
        const y = Math.floor(i / 3 / width);
        noise[i] = Math.max(0, Math.min(255, ((x + y) / (width + height)) * 200 + ((state >> 16) % 40)));
      }
      cache.set(key, sharp(noise, { raw: { width, height, channels: 3 } }).png().toBuffer());
    }
    return cache.get(key)!;
  };
  const requests: { startedAt: number; endedAt?: number }[] = [];
  let latency = latencyMs;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const record: { startedAt: number; endedAt?: number } = { startedAt: Date.now() };
      requests.push(record);
      let width = 1024;
      let height = 1024;
      try {
        const parsed = JSON.parse(body) as { parameters?: { width?: number; height?: number } };
        width = parsed.parameters?.width ?? width;
        height = parsed.parameters?.height ?? height;
      } catch {
        // Keep the default size.
      }
      const bytes = await picture(width, height);
      setTimeout(() => {
        record.endedAt = Date.now();
        res.writeHead(200, { "content-type": "image/png", "content-length": bytes.length });
        res.end(bytes);
      }, latency);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.maxConnections = 20_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 4096, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/models/sdxl`,
    requests,
    setLatency: (ms: number) => (latency = ms),
    pngBytes: async (width = 1024, height = 1024) => (await picture(width, height)).length,
    /** The picture itself, for in-process measurements. */
    png: (width = 1024, height = 1024) => picture(width, height),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
