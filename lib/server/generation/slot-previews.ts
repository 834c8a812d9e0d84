import "server-only";
import type { PreviewEvent } from "@/lib/events";
import type { PartialPicture } from "../providers/provider";

export interface PreviewSink {
  /** Turns a small WebP into the URL a viewer loads (inline or served for a few minutes). */
  publish: (webp: Buffer) => string;
  /** Sends a transient preview event to the job's viewers. */
  emit: (data: PreviewEvent) => void;
  /** Whether anyone is watching: a preview nobody sees is not worth a decode. */
  wanted?: () => boolean;
}

export interface SlotPreviewOptions {
  /** Makes the small WebP; throws for bytes that are not a picture. */
  make: (bytes: Buffer) => Promise<Buffer>;
  now: () => number;
  /** A slot repaints at most this often: about 4 times a second. */
  minIntervalMs?: number;
}

/**
 * The previews of one attempt at one slot. Step previews are throttled (the newest wins, older
 * ones are dropped unseen), a picture that cannot be decoded is skipped, and nothing is sent once
 * the raw picture is on its way or the attempt has ended, so a preview never follows its image.
 */
export class SlotPreviews {
  private pending?: PartialPicture;
  private timer?: ReturnType<typeof setTimeout>;
  private busy = false;
  private lastSentAt = -Infinity;
  private partialsOpen = true;
  private closed = false;
  private readonly minIntervalMs: number;

  constructor(
    private readonly index: number,
    private readonly sink: PreviewSink,
    private readonly options: SlotPreviewOptions,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 250;
  }

  partial(picture: PartialPicture): void {
    if (!this.partialsOpen || this.sink.wanted?.() === false) return;
    this.pending = picture;
    this.schedule();
  }

  /**
   * The provider's picture is finished: step previews stop, and the returned callback sends its
   * raw preview (made from the same decode as the ad) unless the attempt has ended by then.
   * Undefined when nobody watches, so no preview is made.
   */
  raw(providerDoneAt: number): ((webp: Buffer) => void) | undefined {
    this.stopPartials();
    if (this.closed || this.sink.wanted?.() === false) return undefined;
    return (webp) => {
      if (!this.closed) this.sink.emit({ index: this.index, url: this.sink.publish(webp), kind: "raw", providerDoneAt });
    };
  }

  /** The attempt is over (image sent, failed, retried or stopped). */
  close(): void {
    this.stopPartials();
    this.closed = true;
  }

  private stopPartials(): void {
    this.partialsOpen = false;
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.busy || this.timer || !this.pending) return;
    const wait = Math.max(0, this.lastSentAt + this.minIntervalMs - this.options.now());
    this.timer = setTimeout(() => void this.flush(), wait);
    this.timer.unref?.();
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const picture = this.pending;
    this.pending = undefined;
    if (!picture || !this.partialsOpen) return;
    this.busy = true;
    try {
      const webp = await this.options.make(picture.bytes);
      if (this.partialsOpen) {
        const { step, steps, unit, etaMs } = picture;
        this.sink.emit({ index: this.index, url: this.sink.publish(webp), kind: "partial", step, steps, unit, etaMs });
        this.lastSentAt = this.options.now();
      }
    } catch {
      // A corrupt step preview is skipped; the next one (or the image) follows.
    } finally {
      this.busy = false;
      this.schedule();
    }
  }
}
