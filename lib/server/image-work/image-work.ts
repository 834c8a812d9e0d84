import "server-only";
import type { ComposeInput, ComposeOptions, Composite } from "../compositing/compositor";
import type { LogoResult } from "../branding/logo-image";
import type { ProductResult } from "../branding/product-image";
import type { RenderOptions } from "../providers/builtin/options";

/**
 * The CPU-heavy image work (decode, preview, composite, encode, render), behind one seam so it
 * can run on a pool of worker threads while the main thread only does I/O and events. Errors the
 * marketer should see come back as `ProviderError`s, wherever the work ran.
 */
export interface ImageWork {
  /** A small WebP of a picture's bytes (a step preview). */
  preview(bytes: Buffer): Promise<Buffer>;
  /**
   * A provider's picture made into a finished ad with a 640 px preview and a placeholder, decoded
   * once: its raw preview is made from the same decode and handed to `onPreview` before compositing.
   */
  finish(input: ComposeInput, onPreview?: (webp: Buffer) => void): Promise<Composite>;
  /** One composite with explicit options (the all-formats export, pixel tests). */
  compose(input: ComposeInput, options: ComposeOptions): Promise<Composite>;
  /** The built-in provider's picture. */
  render(options: RenderOptions): Promise<Buffer>;
  /** An uploaded logo checked and made into a PNG (SVGs drawn), or why not. */
  normaliseLogo(bytes: Buffer): Promise<LogoResult>;
  /** An uploaded product image checked, keyed out of a plain backdrop and trimmed, or why not. */
  normaliseProduct(bytes: Buffer): Promise<ProductResult>;
  /** Stops the workers (at shutdown); work still queued is rejected. */
  close(): Promise<void>;
}
