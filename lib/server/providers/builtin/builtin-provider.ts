import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { ProviderError } from "../provider-error";
import type { RenderOptions } from "./options";
import { renderAdBackground } from "./render";
import { singleRoute, type GeneratedImage, type ImageProvider, type ImageRequest, type ProviderStatus, type RoutePlan } from "../provider";

const MODEL = "builtin-abstract-v1";
const ROUTE = { id: "builtin", label: "built-in" };

/** Offline renderer: always available, no token, no network, deterministic. */
export class BuiltinProvider implements ImageProvider {
  readonly id = "builtin" as const;
  // The name from the one provider table, and what sets it apart in the form.
  readonly label = `${PROVIDER_NAMES.builtin} (offline)`;

  /** `render` draws the picture; the app passes its image workers, tests the renderer itself. */
  constructor(private readonly render: (options: RenderOptions) => Promise<Buffer> = renderAdBackground) {}

  status(): ProviderStatus {
    return {
      id: this.id,
      label: this.label,
      model: MODEL,
      models: [{ id: MODEL, label: "Abstract ad backgrounds", available: true, routes: [ROUTE.id] }],
      available: true,
    };
  }

  async refresh(): Promise<ProviderStatus> {
    return this.status();
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    return model === MODEL ? singleRoute(ROUTE) : { ok: false, code: "invalid", message: `The built-in renderer has one model, ${MODEL}.` };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    request.signal.throwIfAborted();
    const direction = request.providerOptions.builtin;
    // It reads no prompt: without the brief's art direction it has nothing to draw from.
    if (!direction) throw new ProviderError("bad_request", "The built-in renderer draws from the brief's art direction (providerOptions.builtin), and this request has none.");
    const bytes = await this.render({
      prompt: request.prompt,
      seed: request.seed,
      width: request.width,
      height: request.height,
      ...direction,
    });
    request.signal.throwIfAborted();
    return { bytes, mimeType: "image/png" };
  }
}
