import { expect, test, type Page } from "@playwright/test";
import { readOutboundAttempts } from "../support/app-server";
import { controlFake, fakeStatus, type FakeBehaviour } from "../support/fakes/fault-script";
import { GUARD_LOGS } from "./e2e-ports";

const FAKE_HF = `http://127.0.0.1:${Number(process.env.E2E_FAKE_HF_PORT ?? 39124)}`;

async function steerProvider(options: { latencyMs?: number; script?: FakeBehaviour[] }) {
  await controlFake(FAKE_HF, { reset: true, latencyMs: options.latencyMs ?? 600, script: options.script ?? [] });
}

const slots = (page: Page) => page.getByTestId("creative-slot");
/** Opens the "More" menu of creative `index` (0-based). */
const openMenu = async (page: Page, index: number) => {
  await slots(page).nth(index).getByTestId("creative-menu").locator(":scope > summary").click();
};
const status = (page: Page) => page.getByTestId("status-text");

test.beforeEach(async () => {
  await steerProvider({});
});

test.afterAll(() => {
  // The app only ever talked to the stand-ins on 127.0.0.1.
  expect(readOutboundAttempts(GUARD_LOGS.main)).toEqual([]);
});

test("a new user keeps the defaults, generates, and watches four creatives arrive", async ({ page }) => {
  // Slow enough that the skeletons are certainly still there when checked, even on a loaded machine.
  await steerProvider({ script: [{ kind: "ok", latencyMs: 400 }, { kind: "ok", latencyMs: 5000 }, { kind: "ok", latencyMs: 5000 }, { kind: "ok", latencyMs: 5000 }] });
  await page.goto("/");
  await expect(page.getByLabel("Product name")).toHaveValue("Aurora Cold Brew");
  await expect(page.getByLabel("Number of images")).toHaveValue("4");
  await expect(page.getByRole("radio", { name: /Hugging Face/ })).toBeChecked();

  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText(/^(Starting…|Generating: [0-3] of 4 images ready…)$/);
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(slots(page)).toHaveCount(4);
  await expect(page.locator(".skeleton .spinner").first()).toBeVisible();

  // The first finished image keeps its DOM node while the others arrive: no re-mount, no flicker.
  const firstImage = page.locator(".creative-image img").first();
  await expect(firstImage).toBeVisible();
  await firstImage.evaluate((img) => img.setAttribute("data-first-seen", "yes"));

  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  await expect(page.locator('img[data-first-seen="yes"]')).toHaveCount(1);
  const images = page.locator(".creative-image img");
  await expect(images).toHaveCount(4);
  for (const img of await images.all()) {
    await expect(img).toHaveJSProperty("complete", true);
    // The grid shows a WebP preview; the link opens the full-size ad.
    expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  }
  const original = await page.locator(".creative-image").first().getAttribute("href");
  const originalResponse = await page.request.get(original!);
  expect(originalResponse.headers()["content-type"]).toBe("image/jpeg");
  await expect(slots(page).first().getByTestId("made-by")).toHaveText("Hugging Face · Inference Endpoint");
  // One main action on the card; the rest, with the prompt and seed, in its menu.
  await expect(slots(page).first().getByRole("link", { name: "Download image 1" })).toBeVisible();
  await expect(slots(page).first().getByRole("button", { name: "Regenerate image 1" })).toBeHidden();
  await openMenu(page, 0);
  await expect(slots(page).first().getByRole("button", { name: "Regenerate image 1" })).toBeVisible();
  await expect(slots(page).first()).toContainText("Seed");
  await expect(page.getByRole("button", { name: "Generate Creatives" })).toBeVisible();
});

test("Stop mid-run keeps what arrived, aborts the rest upstream, and says so", async ({ page }) => {
  await steerProvider({ script: [{ kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 30_000 }, { kind: "ok", latencyMs: 30_000 }] });
  await page.goto("/");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(page.locator(".creative-image img")).toHaveCount(2);
  await expect(status(page)).toHaveText("Generating: 2 of 4 images ready…");
  await page.getByRole("button", { name: "Stop" }).click();

  await expect(status(page)).toHaveText("Stopped: 2 of 4 images");
  await expect(page.locator('[data-status="stopped"]')).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Generate Creatives" })).toBeVisible();
  // The server closed the provider calls it no longer needs.
  await expect.poll(async () => (await fakeStatus(FAKE_HF)).open, { timeout: 10_000 }).toBe(0);
});

test("a failed image shows why, and Retry regenerates only that one", async ({ page }) => {
  await steerProvider({ script: [{ kind: "status", status: 422, body: "Input validation error" }] });
  await page.goto("/");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("3 of 4 images ready, 1 failed");
  const failed = page.locator('[data-status="failed"]');
  await expect(failed).toContainText("Input validation error");

  const before = await page.locator(".creative-image img").evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));
  const requestsBefore = (await fakeStatus(FAKE_HF)).requests;
  await failed.getByRole("button", { name: /Retry/ }).click();
  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  expect((await fakeStatus(FAKE_HF)).requests).toBe(requestsBefore + 1);
  const after = await page.locator(".creative-image img").evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));
  for (const src of before) expect(after).toContain(src);
});

test("works by keyboard alone and on a phone-width screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).focus();
  await page.keyboard.press("Enter");
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await expect(status(page)).toHaveAttribute("aria-live", "polite");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Tab order reaches the form controls with a visible focus ring.
  await page.getByLabel("Product name").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Product description")).toBeFocused();
  const outline = await page.getByLabel("Product description").evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
});

test("reloading mid-run reconnects to the same job and the run continues", async ({ page }) => {
  await steerProvider({ script: [{ kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 2500 }, { kind: "ok", latencyMs: 2500 }] });
  await page.goto("/");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(page.locator(".creative-image img")).toHaveCount(2);
  await expect(page).toHaveURL(/\?job=/);
  await page.reload();
  await expect(status(page)).toHaveText(/Generating|Done/);
  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  await expect(page.locator(".creative-image img")).toHaveCount(4);
  expect((await fakeStatus(FAKE_HF)).requests).toBe(4);
});

test("history lists past campaigns, reopens one as it was, and downloads all as a zip", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Product name").fill("Nimbus Trail Shoes");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  const jobUrl = page.url();

  await page.getByRole("link", { name: "History" }).click();
  const item = page.getByTestId("history-item").filter({ hasText: "Nimbus Trail Shoes" }).first();
  await expect(item).toBeVisible();
  await expect(item).toContainText("2 of 2 images");
  await expect(item.locator("img")).toHaveCount(2);

  const downloadPromise = page.waitForEvent("download");
  await item.getByRole("link", { name: "Download all" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("nimbus-trail-shoes-creatives.zip");
  const path = await download.path();
  const bytes = await import("node:fs/promises").then((fs) => fs.readFile(path));
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.includes(Buffer.from("creatives.json"))).toBe(true);

  await item.getByRole("link", { name: /Open Nimbus Trail Shoes/ }).click();
  await expect(page).toHaveURL(jobUrl);
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await expect(page.getByLabel("Product name")).toHaveValue("Nimbus Trail Shoes");
  await expect(page.locator(".creative-image img")).toHaveCount(2);
});

test("brand kit and copy: upload a logo, edit headline and layout, and the creatives update without a new generation", async ({ page }) => {
  const sharp = (await import("sharp")).default;
  const logo = await sharp({ create: { width: 300, height: 100, channels: 4, background: "#ff00ff" } }).png().toBuffer();
  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  const requestsAfterRun = (await fakeStatus(FAKE_HF)).requests;
  const firstImage = page.locator(".creative-image img").first();
  const srcBefore = await firstImage.getAttribute("src");

  await page.getByLabel(/^Logo/).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logo });
  await expect(page.getByRole("img", { name: "Current logo" })).toBeVisible();
  await page.getByLabel("Headline").fill("Fresh headline for the edit test");
  await page.getByLabel("Layout", { exact: true }).first().selectOption("centered-card");
  await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);
  await expect(firstImage).not.toHaveAttribute("src", srcBefore!);
  await openMenu(page, 0);
  await expect(page.locator('[data-status="done"] select').first()).toHaveValue("centered-card");
  expect((await fakeStatus(FAKE_HF)).requests).toBe(requestsAfterRun);

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: /All formats/ }).first().click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/-01-all-formats\.zip$/);
  const bytes = await import("node:fs/promises").then(async (fs) => fs.readFile(await download.path()));
  for (const size of ["1080x1080", "1080x1350", "1080x1920", "1200x628", "1600x900"]) expect(bytes.includes(Buffer.from(size))).toBe(true);
});

test("an edited job reopens finished at once: no reconnecting, every action available", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await page.getByLabel("Headline").fill("Edited after the run");
  await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);

  // The job's log now ends with re-composited images after the run's `done`.
  const streams: string[] = [];
  page.on("request", (request) => {
    if (/\/api\/jobs\/[^/]+\/events/.test(request.url())) streams.push(request.url());
  });
  await page.reload();
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await page.waitForLoadState("networkidle");
  // One replay and nothing after it: a page that thought the stream dropped would have asked again within 250 ms.
  expect(streams).toHaveLength(1);
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await expect(page.getByRole("link", { name: "Download all" })).toBeVisible();
  await openMenu(page, 0);
  await expect(page.getByRole("button", { name: "Regenerate image 1" })).toBeEnabled();
});

test("More like this adds a creative and Regenerate replaces one, streamed into the same job", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  const jobUrl = page.url();

  await openMenu(page, 0);
  await page.getByRole("button", { name: "More like this (image 1)" }).click();
  await expect(slots(page)).toHaveCount(3);
  await expect(status(page)).toHaveText("Done: 3 of 3 images");
  await expect(page.locator(".creative-image img")).toHaveCount(3);

  const second = page.locator(".creative-image img").nth(1);
  const before = await second.getAttribute("src");
  await openMenu(page, 1);
  await page.getByRole("button", { name: "Regenerate image 2" }).click();
  await expect(status(page)).toHaveText("Done: 3 of 3 images");
  await expect(second).not.toHaveAttribute("src", before!);
  expect(page.url()).toBe(jobUrl);

  // Reopening the job shows the same three creatives.
  await page.reload();
  await expect(status(page)).toHaveText("Done: 3 of 3 images");
  await expect(page.locator(".creative-image img").nth(1)).not.toHaveAttribute("src", before!);
});

test("a dropped connection shows Reconnecting… and the run continues where it left off", async ({ page }) => {
  await steerProvider({ script: [{ kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 2500 }] });
  // The browser's stream is cut right after the first image (the server keeps the job running).
  await page.route("**/api/generate-images", async (route) => {
    const controller = new AbortController();
    const response = await fetch(route.request().url(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: route.request().postData() ?? "",
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("event: image")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    text = text.slice(0, text.indexOf("\n\n", text.indexOf("event: image")) + 2);
    controller.abort();
    await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: text });
  });
  // The first reconnection attempt is held a moment, so the state is visible.
  let held = false;
  await page.route("**/api/jobs/*/events", async (route) => {
    if (!held) {
      held = true;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.continue();
  });

  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Reconnecting…");
  await expect(status(page)).toHaveText("Done: 2 of 2 images");
  await expect(page.locator(".creative-image img")).toHaveCount(2);
  expect((await fakeStatus(FAKE_HF)).requests).toBe(2);
});
