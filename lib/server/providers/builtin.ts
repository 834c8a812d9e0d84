import "server-only";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderStatus } from "./provider";
import { renderAdBackground } from "./builtin-renderer";

/** Offline renderer: always available, no token, no network, deterministic. */
export class BuiltinProvider implements ImageProvider {
  readonly id = "builtin" as const;
  readonly label = "Built-in (offline)";
  readonly model = "builtin-abstract-v1";

  status(): ProviderStatus {
    return { id: this.id, label: this.label, model: this.model, available: true };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    request.signal.throwIfAborted();
    const bytes = await renderAdBackground({
      prompt: request.prompt,
      seed: request.seed,
      width: request.width,
      height: request.height,
      style: request.hints.style,
      tone: request.hints.tone,
      productName: request.hints.productName,
      variant: request.hints.variant,
      preset: request.hints.preset,
    });
    request.signal.throwIfAborted();
    return { bytes, mimeType: "image/png" };
  }
}
