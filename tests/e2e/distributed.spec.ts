import { expect, test } from "@playwright/test";
import { readOutboundAttempts } from "../support/app-server";
import { controlFake, fakeStatus } from "../support/fakes/fault-script";
import { DISTRIBUTED_APP_PORT, FAKE_HF_PORT, GUARD_LOGS } from "./e2e-ports";

/**
 * The main flow against one web instance of the distributed mode: the images are made by a
 * worker process, kept in Postgres and S3, and followed through Redis; the page cannot tell.
 */
const APP = `http://127.0.0.1:${DISTRIBUTED_APP_PORT}`;
const FAKE_HF = `http://127.0.0.1:${FAKE_HF_PORT}`;
const status = (page: import("@playwright/test").Page) => page.getByTestId("status-text");

test.use({ baseURL: APP });

test.afterAll(() => {
  // The web instance and the worker only ever talked to 127.0.0.1.
  expect(readOutboundAttempts(GUARD_LOGS.distributed)).toEqual([]);
});

test("distributed: generate, watch four creatives arrive from the worker, reload mid-run, find it in history and download it", async ({ page }) => {
  await controlFake(FAKE_HF, { reset: true, latencyMs: 600, script: [{ kind: "ok", latencyMs: 200 }, { kind: "ok", latencyMs: 200 }, { kind: "ok", latencyMs: 3000 }, { kind: "ok", latencyMs: 3000 }] });
  await page.goto("/");
  await page.getByLabel("Product name").fill("Harbor Oat Milk");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(page.getByTestId("creative-slot")).toHaveCount(4);
  await expect(page.locator(".creative-image img")).toHaveCount(2);
  await expect(page).toHaveURL(/\?job=/);
  // A reload reconnects to the same job (its log is in Postgres, its live events in Redis).
  await page.reload();
  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  const images = page.locator(".creative-image img");
  await expect(images).toHaveCount(4);
  for (const img of await images.all()) expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  const original = await page.locator(".creative-image").first().getAttribute("href");
  expect((await page.request.get(original!)).headers()["content-type"]).toBe("image/jpeg");
  expect((await fakeStatus(FAKE_HF)).requests).toBe(4);

  await page.getByRole("link", { name: "History" }).click();
  const item = page.getByTestId("history-item").filter({ hasText: "Harbor Oat Milk" }).first();
  await expect(item).toContainText("4 of 4 images");
  const downloadPromise = page.waitForEvent("download");
  await item.getByRole("link", { name: "Download all" }).click();
  const bytes = await import("node:fs/promises").then(async (fs) => fs.readFile(await (await downloadPromise).path()));
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.includes(Buffer.from("creatives.json"))).toBe(true);
});
