// Runs every suite against a fresh production build and ends with one totals line:
// "N passed, M failed". Used by `npm test` and by CI.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const OUT = ".test-output";
mkdirSync(OUT, { recursive: true });
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", NEXT_TELEMETRY_DISABLED: "1" };

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
const suites = [];

if (!process.env.SKIP_BUILD) {
  if (!run("build", "npm", ["run", "--silent", "build"])) {
    console.log("\nThe production build failed; no test can run against it.");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

// Static checks count as one test each, so a lint or type error shows in the totals line.
for (const [label, script] of [["lint", "lint"], ["typecheck", "typecheck"]]) {
  if (run(label, "npm", ["run", "--silent", script])) {
    passed += 1;
    suites.push(`${label}: passed`);
  } else {
    failed += 1;
    suites.push(`${label}: FAILED`);
  }
}

const vitestFile = `${OUT}/vitest.json`;
rmSync(vitestFile, { force: true });
const vitestOk = run("unit + integration (Vitest)", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestFile}`]);
const vitest = readJson(vitestFile);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  suites.push(`vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed`);
  // A suite that crashed before reporting its tests still counts as a failure.
  if (!vitestOk && vitest.numFailedTests === 0) failed += 1;
} else {
  failed += 1;
  suites.push("vitest: did not report");
}

// The e2e servers start on empty data folders, like a new user's.
for (const dir of ["e2e-data", "e2e-hosted-data", "e2e-accounts-data"]) rmSync(`${OUT}/${dir}`, { recursive: true, force: true });
const playwrightFile = `${OUT}/playwright.json`;
rmSync(playwrightFile, { force: true });
const playwrightOk = run("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightFile,
  PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightFile,
});
const playwright = existsSync(playwrightFile) ? readJson(playwrightFile) : undefined;
if (playwright?.stats) {
  const ok = playwright.stats.expected + playwright.stats.flaky;
  const bad = playwright.stats.unexpected;
  passed += ok;
  failed += bad;
  suites.push(`playwright: ${ok} passed, ${bad} failed`);
  if (!playwrightOk && bad === 0) failed += 1;
} else {
  failed += 1;
  suites.push("playwright: did not report");
}

console.log(`\n${suites.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
