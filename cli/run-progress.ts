import cliProgress from "cli-progress";
import type { StreamEvent } from "../lib/events";
import type { RunListener } from "./follow-run";

type Slot = { bar?: cliProgress.SingleBar; status: string };

/**
 * A run's progress as the person watches it: one bar per image on a terminal (queued,
 * generating, the provider's steps, done or failed), plain lines when the output is a file or
 * a pipe (CI logs), where redrawn bars would be noise.
 */
export class RunProgress implements RunListener {
  private readonly slots = new Map<number, Slot>();
  private readonly bars?: cliProgress.MultiBar;
  private barsStopped = false;
  private total = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly interactive = Boolean(out.isTTY),
  ) {
    if (this.interactive) {
      this.bars = new cliProgress.MultiBar(
        { stream: out, format: " image {slot} {bar} {status}", barsize: 24, hideCursor: true, clearOnComplete: false, autopadding: true, forceRedraw: true },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  onEvent(event: StreamEvent): void {
    switch (event.event) {
      case "start": {
        this.total = event.data.batchSize;
        this.line(`Run ${event.data.jobId}: ${event.data.total} image(s) of ${event.data.brief.productName}, ${event.data.format} ${event.data.width}×${event.data.height}, ${event.data.provider} ${event.data.model}`);
        for (const index of event.data.indices) this.update(index, 0, "queued");
        return;
      }
      case "progress":
        return this.update(event.data.index, event.data.status === "generating" ? 10 : 5, event.data.status === "retrying" ? `retrying: ${event.data.message}` : `${event.data.status}${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ""}`, true);
      case "preview": {
        const { step, steps, unit } = event.data;
        if (step !== undefined && steps) return this.update(event.data.index, 10 + Math.round((80 * step) / steps), `${unit === "draft" ? "draft" : "step"} ${step} of ${steps}`, false);
        return this.update(event.data.index, 90, "picture ready, laying out the ad", false);
      }
      case "image":
        return this.update(event.data.index, 100, `done in ${(event.data.elapsedMs / 1000).toFixed(1)} s`, true);
      case "error":
        return this.update(event.data.index, 100, `failed: ${event.data.message}`, true);
      case "done":
        this.bars?.stop();
        this.barsStopped = true;
        this.line(`Run ${event.data.status}: ${event.data.succeeded} made, ${event.data.failed} failed${event.data.cancelled ? `, ${event.data.cancelled} not made` : ""} in ${(event.data.elapsedMs / 1000).toFixed(1)} s`);
        return;
    }
  }

  onReconnect(info: { attempt: number; lastEventId: number; reason: string; delayMs: number }): void {
    this.line(`Connection lost: ${info.reason}. Reconnecting after event ${info.lastEventId} (attempt ${info.attempt})…`);
  }

  /** A line above the bars (or on its own without them). */
  line(text: string): void {
    // Above the bars while they are drawn; once stopped, the bars no longer flush what they hold.
    if (this.bars && !this.barsStopped) this.bars.log(`${text}\n`);
    else this.out.write(`${text}\n`);
  }

  private update(index: number, value: number, status: string, printPlain = true): void {
    const label = `${String(index + 1).padStart(2)}/${this.total || "?"}`;
    let slot = this.slots.get(index);
    if (!slot) {
      slot = { status: "", ...(this.bars ? { bar: this.bars.create(100, 0, { slot: label, status }) } : {}) };
      this.slots.set(index, slot);
    }
    const changed = slot.status !== status;
    slot.status = status;
    slot.bar?.update(value, { slot: label, status });
    if (!this.bars && printPlain && changed) this.out.write(`image ${label}: ${status}\n`);
  }
}
