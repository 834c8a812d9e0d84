import "server-only";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderStatus } from "./provider";
import { errorFromHttpStatus, parseRetryAfter } from "./provider-error";
import { classifyThrown, readBodyCapped } from "./network-error";

export interface PollinationsConfig {
  baseUrl: string;
  model: string;
  token?: string;
}

const LABEL = "Pollinations";

/** Pollinations' documented GET API: the prompt is the path, options are query parameters. */
export class PollinationsProvider implements ImageProvider {
  readonly id = "pollinations" as const;
  readonly label = LABEL;
  readonly model: string;

  constructor(private readonly config: PollinationsConfig) {
    this.model = config.model;
  }

  status(): ProviderStatus {
    return { id: this.id, label: this.label, model: this.model, available: true };
  }

  buildUrl(request: Pick<ImageRequest, "prompt" | "width" | "height" | "seed">): string {
    const base = this.config.baseUrl.replace(/\/+$/, "");
    const query = new URLSearchParams({
      width: String(request.width),
      height: String(request.height),
      seed: String(request.seed),
      model: this.config.model,
      nologo: "true",
    });
    return `${base}/prompt/${encodeURIComponent(request.prompt)}?${query}`;
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    const headers: Record<string, string> = { Accept: "image/*" };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    try {
      const response = await fetch(this.buildUrl(request), { headers, signal: request.signal });
      if (!response.ok) {
        const detail = await response.text().catch(() => "");
        throw errorFromHttpStatus(LABEL, response.status, summarize(detail), {
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
          tokenVariable: "POLLINATIONS_TOKEN",
        });
      }
      const bytes = await readBodyCapped(response, LABEL);
      return { bytes, mimeType: response.headers.get("content-type") ?? undefined };
    } catch (error) {
      classifyThrown(error, LABEL, request.signal);
    }
  }
}

function summarize(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    if (typeof json.error === "string") return json.error;
    if (typeof json.message === "string") return json.message;
  } catch {
    // Not JSON: fall through to the plain text, unless it is an HTML page.
  }
  return trimmed.startsWith("<") ? undefined : trimmed.slice(0, 200);
}
