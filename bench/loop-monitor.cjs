// Preloaded into the app under test (NODE_OPTIONS=--require) so the benchmark can read the
// server's own event-loop delay and peak memory without any code in the app for it.
const { monitorEventLoopDelay } = require("node:perf_hooks");
const fs = require("node:fs");

const { isMainThread } = require("node:worker_threads");

// Worker threads inherit the preload: only the main thread's loop is the one requests wait on.
const file = process.env.BENCH_METRICS_FILE;
if (file && isMainThread) {
  let histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const write = () => {
    const snapshot = {
      p50Ms: histogram.percentile(50) / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      maxMs: histogram.max / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
    };
    fs.writeFileSync(file, JSON.stringify(snapshot));
  };
  setInterval(write, 250).unref();
  // The benchmark sends SIGUSR2 between phases to start a fresh histogram.
  process.on("SIGUSR2", () => {
    histogram.disable();
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  });
}
