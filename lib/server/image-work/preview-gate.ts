import "server-only";

/**
 * Lets raw previews go before compositing within one thread (each image worker has its own):
 * a worker takes several pictures at once, makes each one's preview as soon as it arrives, and
 * composites only when no preview is being made, never waiting longer than `maxWaitMs`, so a
 * stream of previews under load cannot starve the ads.
 */
export class PreviewGate {
  private inFlight = 0;
  private waiters = new Set<() => void>();

  constructor(private readonly maxWaitMs = 100) {}

  /** Runs a preview; compositing waits for it. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) {
        for (const wake of this.waiters) wake();
        this.waiters.clear();
      }
    }
  }

  /** Resolves when no preview is in flight, or after `maxWaitMs`. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.maxWaitMs);
      this.waiters.add(done);
    });
  }
}
