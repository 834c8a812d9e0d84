import { expect, test } from "@playwright/test";
import { readOutboundAttempts } from "../support/app-server";
import { GUARD_LOGS, HOSTED_APP_PORT, HOSTED_PORTS } from "./e2e-ports";

// The hosted app, with an AUTOMATIC1111 server and OpenAI played by local stand-ins on 127.0.0.1.
test.use({ baseURL: `http://127.0.0.1:${HOSTED_APP_PORT}` });

const A1111 = `http://127.0.0.1:${HOSTED_PORTS.a1111}`;

test.beforeEach(async () => {
  await fetch(`${A1111}/__control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reset: true, stepMs: 250 }) });
});

test.afterAll(() => {
  expect(readOutboundAttempts(GUARD_LOGS.hosted)).toEqual([]);
});

const stepOf = (caption: string | null) => Number(/Step (\d+) of 16/.exec(caption ?? "")?.[1] ?? NaN);

test("a slot shows the picture forming, its step counter advancing, then the ad, while the other slot stays untouched", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("radio", { name: /Your GPU server/ }).check();
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();

  const slots = page.getByTestId("creative-slot");
  await expect(slots).toHaveCount(2);
  const [first, second] = [slots.nth(0), slots.nth(1)];
  const preview = first.getByTestId("creative-preview");
  await expect(preview).toBeVisible();
  // The waiting slot says why it waits.
  await expect(second.locator(".skeleton__label")).toHaveText("Waiting: Your GPU server makes one image at a time");
  const frameBox = await first.locator(".creative-frame").boundingBox();

  // From here on, record every DOM change inside the second slot (the GPU server makes one image
  // at a time, so it waits in the queue) while the first one is still forming.
  await page.evaluate(() => {
    const [one, two] = document.querySelectorAll<HTMLElement>("[data-testid=creative-slot]");
    const record: string[] = [];
    (window as unknown as { secondSlotChanges: string[] }).secondSlotChanges = record;
    new MutationObserver((mutations) => {
      if (one!.dataset.status !== "generating") return;
      for (const mutation of mutations) record.push(`${mutation.type} ${(mutation.target as Element).className ?? ""}`);
    }).observe(two!, { subtree: true, childList: true, attributes: true, characterData: true });
  });

  const caption = first.getByTestId("preview-caption");
  await expect(caption).toHaveText(/^Step \d+ of 16 · \d+ s left$/);
  // Held as an element: on a slow machine the ad may replace the forming picture before it is
  // looked at, and a locator would then wait for a picture that is no longer there.
  const forming = (await preview.locator("img").elementHandle())!;
  const firstStep = stepOf(await caption.textContent());
  await expect.poll(async () => stepOf(await caption.textContent())).toBeGreaterThan(firstStep);
  await expect.poll(() => forming.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The forming picture fills the frame the ad will fill: nothing moves.
  expect(await first.locator(".creative-frame").boundingBox()).toEqual(frameBox);

  // Then the ad replaces it in place.
  await expect(first).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(first.getByRole("img", { name: /Ad creative 1/ })).toHaveClass(/is-loaded/);
  expect(await first.locator(".creative-frame").boundingBox()).toEqual(frameBox);
  await expect(first.getByTestId("made-by")).toHaveText("Your GPU server");
  expect(await page.evaluate(() => (window as unknown as { secondSlotChanges: string[] }).secondSlotChanges)).toEqual([]);

  // The second slot then forms the same way, and the run ends with both ads.
  await expect(second.getByTestId("creative-preview")).toBeVisible();
  await expect(page.getByTestId("status-text")).toHaveText("Done: 2 of 2 images", { timeout: 30_000 });
});

test("OpenAI's partial images show as drafts before the ad", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("radio", { name: /OpenAI/ }).check();
  await page.getByLabel("Number of images").selectOption("1");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  const slot = page.getByTestId("creative-slot").first();
  await expect(slot.getByTestId("preview-caption")).toHaveText(/^Draft [12] of 2$/);
  await expect(slot).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(slot.getByTestId("made-by")).toHaveText("OpenAI");
  // What OpenAI was asked and cannot do is said beside the creatives, not hidden (#24).
  await expect(page.getByTestId("provider-notes").getByRole("listitem")).toHaveText([
    "OpenAI's image models take no seed: running the same set again makes other pictures.",
    "OpenAI's image models take no negative prompt: what to avoid was written into the prompt instead.",
  ]);
  await page.screenshot({ path: "test-results/openai-provider-notes.png" });
});

test("ComfyUI: the slot says it is queued, then shows the sampler's steps and previews from /ws, then the ad (#23.5)", async ({ page }) => {
  const COMFYUI = `http://127.0.0.1:${HOSTED_PORTS.comfyui}`;
  await fetch(`${COMFYUI}/__control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ stepMs: 200 }) });
  await page.goto("/");
  await page.getByRole("radio", { name: /ComfyUI/ }).check();
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("sdxl");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();

  const slots = page.getByTestId("creative-slot");
  await expect(slots).toHaveCount(2);
  // ComfyUI runs one prompt at a time: the second waits in its queue while the first forms.
  await expect(slots.nth(1)).toContainText("Queued on ComfyUI");
  const preview = slots.nth(0).getByTestId("creative-preview");
  await expect(preview).toBeVisible();
  await expect(preview).toContainText(/Step \d+ of 25/);
  await expect(page.getByTestId("status-text")).toHaveText("Done: 2 of 2 images", { timeout: 30_000 });
  for (const slot of await slots.all()) await expect(slot.getByTestId("made-by")).toHaveText("ComfyUI");
});
