import { expect, test, type Page } from "@playwright/test";
import { controlFake } from "../support/fakes/fault-script";
import { FAKE_HF_PORT } from "./e2e-ports";

// What a marketer meets in the first minutes, at 1440×900 and on a phone.
const FAKE_HF = `http://127.0.0.1:${FAKE_HF_PORT}`;
const slots = (page: Page) => page.getByTestId("creative-slot");
const status = (page: Page) => page.getByTestId("status-text");

test.beforeEach(async () => {
  await controlFake(FAKE_HF, { reset: true, latencyMs: 1200 });
});

test.describe("at 1440×900", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("Generate is in reach without scrolling, the results come into view, and slots never change size", async ({ page }) => {
    await page.goto("/");
    const generate = page.getByRole("button", { name: "Generate Creatives" });
    await expect(generate).toBeInViewport();
    await page.getByLabel("Headline").scrollIntoViewIfNeeded();
    await expect(generate).toBeInViewport();

    await generate.click();
    await expect(slots(page)).toHaveCount(4);
    // Nothing has been made yet, and the line says so.
    await expect(status(page)).toHaveText(/^(Starting…|Generating: 0 of 4 images ready…)$/);
    await expect(status(page)).toBeInViewport();
    const skeletonBoxes = await Promise.all((await slots(page).all()).map((slot) => slot.boundingBox()));

    await expect(status(page)).toHaveText("Done: 4 of 4 images");
    const doneBoxes = await Promise.all((await slots(page).all()).map((slot) => slot.boundingBox()));
    for (const [i, box] of doneBoxes.entries()) {
      expect(box!.height).toBeCloseTo(skeletonBoxes[i]!.height, 0);
      expect(box!.y).toBeCloseTo(skeletonBoxes[i]!.y, 0);
    }
    // Four square creatives fill one row: no orphan, all in view.
    expect(new Set(doneBoxes.map((box) => Math.round(box!.y))).size).toBe(1);
    for (const slot of await slots(page).all()) await expect(slot).toBeInViewport();
  });

  test("editing the copy shows a creative beside the fields", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("2");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 2 of 2 images");
    const headline = page.getByLabel("Headline");
    await headline.scrollIntoViewIfNeeded();
    await headline.fill("Seen while typing");
    await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);
    await expect(headline).toBeInViewport();
    await expect(page.locator(".creative-image img").first()).toBeInViewport();
  });

  test("the number of images is a list from 1 to 8 that cannot surprise", async ({ page }) => {
    await page.goto("/");
    const count = page.getByLabel("Number of images");
    await expect(count.locator("option")).toHaveText(["1", "2", "3", "4", "5", "6", "7", "8"]);
    await count.selectOption("3");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(slots(page)).toHaveCount(3);
    await expect(status(page)).toHaveText("Done: 3 of 3 images");
  });

  test("mistakes are explained in plain words under their fields, which are marked invalid, and nothing is sent", async ({ page }) => {
    await page.goto("/");
    const product = page.getByLabel("Product name");
    await product.fill("");
    const colour = page.getByLabel("Primary colour", { exact: true });
    await colour.fill("navy");
    // Shown as soon as the field was changed, next to it.
    const colourError = page.locator(`#${await colour.getAttribute("id")}-error`);
    await expect(colourError).toHaveText("Enter the primary colour as # and six digits or letters A–F, like #1F2A44.");
    await expect(colour).toHaveAttribute("aria-invalid", "true");
    await expect(colour).toHaveAttribute("aria-describedby", `${await colour.getAttribute("id")}-error`);

    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(product).toBeFocused();
    await expect(product).toHaveAttribute("aria-invalid", "true");
    const productError = page.locator(`#${await product.getAttribute("aria-describedby")}`);
    await expect(productError).toHaveText("Enter the product name.");
    await expect(slots(page)).toHaveCount(0);
    await expect(page.getByText(/issues|productName|primaryColor/)).toHaveCount(0);

    await product.fill("Aurora Cold Brew");
    await expect(product).not.toHaveAttribute("aria-invalid", "true");
    await expect(productError).toHaveCount(0);
    await colour.fill("#1F2A44");
    await expect(colourError).toHaveCount(0);
    await page.getByLabel("Number of images").selectOption("1");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 1 of 1 image");
  });

  test("copy longer than the ad takes is kept whole in its field, counted and refused under it, never cut (#22)", async ({ page }) => {
    await page.goto("/");
    const cta = page.getByLabel("Call to action");
    const id = await cta.getAttribute("id");
    const long = "Get race-ready today with free returns";
    // Pasted, as copy from a brief is.
    await cta.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(long);
    await expect(cta).toHaveValue(long);
    await expect(page.locator(`#${id}-count`)).toHaveText(`${long.length} / 24 (${long.length - 24} over)`);
    const error = page.locator(`#${id}-error`);
    await expect(error).toHaveText(`Shorten a call to action to 24 characters or fewer (it has ${long.length}).`);
    await expect(cta).toHaveAttribute("aria-invalid", "true");

    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(cta).toBeFocused();
    await expect(slots(page)).toHaveCount(0);
    await expect(cta).toHaveValue(long);

    await cta.fill("Get race-ready");
    await expect(page.locator(`#${id}-count`)).toHaveText("14 / 24");
    await expect(error).toHaveCount(0);
  });

  test("after a failed set, choosing another provider offers Retry with it, for one slot or all of them", async ({ page }) => {
    await controlFake(FAKE_HF, { reset: true, default: { kind: "status", status: 503 } });
    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("2");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("0 of 2 images ready, 2 failed", { timeout: 40_000 });
    await expect(slots(page).first().getByRole("button", { name: "Retry image 1" })).toBeVisible();

    await page.getByRole("radio", { name: /Built-in/ }).check();
    await expect(slots(page).first().getByRole("button", { name: "Retry with Built-in (offline) image 1" })).toBeVisible();
    await page.getByRole("button", { name: "Retry the 2 failed with Built-in (offline)" }).click();
    await expect(status(page)).toHaveText("Done: 2 of 2 images");
    for (const slot of await slots(page).all()) await expect(slot.getByTestId("made-by")).toHaveText("Built-in");
  });

  test("a packshot uploaded in the form stands on the stage of every creative, and updates live", async ({ page }) => {
    const sharp = (await import("sharp")).default;
    const packshot = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#ffffff" } })
      .composite([{ input: await sharp({ create: { width: 140, height: 260, channels: 3, background: "#e01010" } }).png().toBuffer(), left: 130, top: 70 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const redPixels = async (url: string) => {
      const { data, info } = await sharp(Buffer.from(await (await page.request.get(url)).body())).raw().toBuffer({ resolveWithObject: true });
      let count = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 190 && data[i + 1]! < 60 && data[i + 2]! < 60) count++;
      return count;
    };

    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("1");
    await page.getByLabel(/^Product image/).setInputFiles({ name: "bottle.jpg", mimeType: "image/jpeg", buffer: packshot });
    await expect(page.getByRole("img", { name: "Current product image" })).toBeVisible();
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 1 of 1 image");
    const ad = await page.locator(".creative-image").first().getAttribute("href");
    expect(await redPixels(ad!)).toBeGreaterThan(2000);

    // Removing it re-composites the creative without it, like the logo.
    await page.getByRole("button", { name: "Remove product image" }).click();
    await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);
    const edited = await page.locator(".creative-image").first().getAttribute("href");
    expect(edited).not.toBe(ad);
    expect(await redPixels(edited!)).toBe(0);
  });

  test("a run where every image fails shows a red bar, not a full blue one", async ({ page }) => {
    await controlFake(FAKE_HF, { reset: true, default: { kind: "status", status: 400, body: "The prompt was refused" } });
    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("2");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("0 of 2 images ready, 2 failed");
    await expect(page.getByTestId("progress-failed")).toHaveAttribute("style", /width: 100%/);
    await expect(page.getByTestId("progress-ready")).toHaveAttribute("style", /width: 0%/);
    await expect(page.getByTestId("progress-failed")).toHaveCSS("background-color", "rgb(179, 38, 30)");
  });

  test("a card has one main action and a menu; history rows are named by headline, format and provider; focus stays after a delete", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("1");
    // Unique per run: the e2e data folder is shared by every test of a run.
    const keep = `Keep me around ${Date.now()}`;
    const remove = `Delete me after ${Date.now()}`;
    await page.getByLabel("Headline").fill(keep);
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 1 of 1 image");
    // A new campaign (not an edit of the open one) with other copy.
    await page.goto("/");
    await page.getByLabel("Number of images").selectOption("1");
    await page.getByLabel("Headline").fill(remove);
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 1 of 1 image");

    const card = slots(page).first();
    await expect(card.getByRole("link", { name: "Download image 1" })).toBeVisible();
    await expect(card.getByRole("button", { name: /Regenerate|More like this/ })).toHaveCount(0);
    await card.getByTestId("creative-menu").locator(":scope > summary").click();
    await expect(card.getByRole("button", { name: "Regenerate image 1" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(card.getByRole("button", { name: "Regenerate image 1" })).toBeHidden();

    await page.getByRole("link", { name: "History" }).click();
    const titles = page.getByTestId("history-title");
    await expect(titles.first()).toHaveText(remove);
    await expect(titles.nth(1)).toHaveText(keep);
    await expect(page.getByTestId("history-item").first()).toContainText("Aurora Cold Brew · Instagram square · Hugging Face");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: `Delete Aurora Cold Brew: ${remove}` }).click();
    await expect(titles.first()).toHaveText(keep);
    await expect(titles.first()).toBeFocused();
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no field is clipped, a skip link leads to Generate, and a creative stays in sight while the copy is edited", async ({ page }) => {
    await page.goto("/");
    for (const label of ["Primary colour", "Button colour", "Layout", "Number of images"]) {
      const field = page.getByLabel(label, { exact: true });
      const clipped = await field.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth);
      expect(clipped, `${label} is clipped`).toBe(false);
    }
    for (const choice of await page.getByRole("group", { name: "Ad formats" }).locator("label").all()) {
      expect(await choice.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth && el.scrollWidth <= el.clientWidth + 1), `${await choice.textContent()} is clipped`).toBe(true);
    }
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to Generate" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Generate Creatives" })).toBeFocused();

    await page.getByLabel("Number of images").selectOption("1");
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await expect(status(page)).toHaveText("Done: 1 of 1 image");
    const headline = page.getByLabel("Headline");
    await headline.scrollIntoViewIfNeeded();
    await headline.fill("Phone edit");
    await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);
    await expect(page.getByTestId("brand-preview").locator("img")).toBeInViewport();
  });
});
