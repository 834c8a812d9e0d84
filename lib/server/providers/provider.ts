import "server-only";
import type { ProviderId, ProviderOption, Tone, VisualStyle } from "@/lib/campaign";
import type { BuiltinPresetId } from "@/lib/design";

export interface ImageRequest {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  seed: number;
  /** Aborted on Stop, client disconnect or per-attempt timeout. Providers must pass it to I/O. */
  signal: AbortSignal;
  /** Art direction for renderers that do not read prompts (the built-in one). */
  hints: { productName: string; style: VisualStyle; tone: Tone; variant: number; preset?: BuiltinPresetId };
}

export interface GeneratedImage {
  bytes: Buffer;
  /** What the provider claims; the runner verifies the bytes itself. */
  mimeType?: string;
}

/** `reason` says why it cannot run, phrased as the fix ("Set HF_TOKEN in .env.local"). */
export type ProviderStatus = ProviderOption;

export interface ImageProvider {
  readonly id: ProviderId;
  readonly label: string;
  readonly model: string;
  status(): ProviderStatus;
  /** Throws ProviderError (lib/server/providers/provider-error.ts) for anything the runner should classify. */
  generate(request: ImageRequest): Promise<GeneratedImage>;
}
