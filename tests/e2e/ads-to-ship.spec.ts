import { expect, test, type Page } from "@playwright/test";
import { controlFake } from "../support/fakes/fault-script";
import { FAKE_HF_PORT } from "./e2e-ports";

// #22 as a marketer meets it: copy written for the brief, and a set whose cards say what they test.
const FAKE_HF = `http://127.0.0.1:${FAKE_HF_PORT}`;
const slots = (page: Page) => page.getByTestId("creative-slot");
const status = (page: Page) => page.getByTestId("status-text");

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeEach(async () => {
  await controlFake(FAKE_HF, { reset: true, latencyMs: 300 });
});

test("the copy writer drafts every line within the platform's limit; a line is used, edited, or written again", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("checkbox", { name: /Story/ }).check();
  await page.getByRole("checkbox", { name: /Instagram square/ }).uncheck();
  await page.getByLabel("Angle").selectOption("question");
  await page.getByRole("button", { name: "Write copy for me" }).click();
  const headline = page.getByTestId("drafted-headline");
  await expect(headline).toContainText(/\?/);
  // Stories show 40 characters of a headline and 125 of the primary text.
  await expect(headline).toContainText(/\d+ \/ 40/);
  await expect(page.getByTestId("drafted-primaryText")).toContainText(/\d+ \/ 125/);

  const drafted = (await headline.locator(".copy-writer__text").textContent())!;
  await page.getByRole("button", { name: "Use this headline" }).click();
  await expect(page.getByLabel("Headline", { exact: true })).toHaveValue(drafted);
  await expect(page.getByRole("button", { name: "Use this headline" })).toHaveText("In use");

  await page.getByRole("button", { name: "Write the headline again" }).click();
  await expect(headline.locator(".copy-writer__text")).not.toHaveText(drafted);
  // The field keeps what was used until another line is used; it is still the marketer's to edit.
  await expect(page.getByLabel("Headline", { exact: true })).toHaveValue(drafted);

  await page.getByRole("button", { name: "Use all" }).click();
  await expect(page.getByLabel("Primary text", { exact: true })).toHaveValue((await page.getByTestId("drafted-primaryText").locator(".copy-writer__text").textContent())!);
});

test("a copy test puts one picture under four angles, says so on each card, and one card's copy is edited alone", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("The creatives differ in").selectOption("copy");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  await expect(page.getByTestId("variant-label")).toHaveText(["Tests Copy: Your copy", "Tests Copy: Benefit", "Tests Copy: Social proof", "Tests Copy: Urgency"]);

  const second = slots(page).nth(1);
  const before = await second.locator("img").getAttribute("src");
  await second.getByLabel("More actions for image 2").click();
  await second.getByText("Edit this creative's copy").click();
  await second.getByLabel("Headline").fill("Smooth enough for Mondays");
  await second.getByRole("button", { name: "Save copy of image 2" }).click();
  await expect(page.getByTestId("edit-status")).toHaveText(/Creatives updated/);
  await expect(second.locator("img")).not.toHaveAttribute("src", before!);
  // The others kept their ads.
  await expect(page.getByTestId("variant-label").nth(1)).toHaveText("Tests Copy: Benefit");
});

test("a set in several formats: ticked before the run, one more added to the finished set, all kept on reload", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("checkbox", { name: /Story/ }).check();
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(status(page)).toHaveText("Done: 4 of 4 images");
  const group = (name: string) => page.getByRole("list", { name: `Generated creatives, ${name}` });
  await expect(group("Instagram square").getByTestId("creative-slot")).toHaveCount(2);
  await expect(group("Story / Reel").getByTestId("creative-slot")).toHaveCount(2);
  // Each card shows an ad of its own format's shape, not a square cropped into a tall frame.
  const storyAd = group("Story / Reel").locator("img").first();
  await expect(storyAd).toBeVisible();
  const shape = await storyAd.evaluate((img: HTMLImageElement) => img.naturalWidth / img.naturalHeight);
  expect(Math.abs(shape - 1080 / 1920)).toBeLessThan(0.01);
  const kept = await group("Instagram square").locator("img").first().getAttribute("src");

  // Ticking a format for the finished set adds it beside the others: the ads it had stay.
  await page.getByRole("checkbox", { name: /X \(Twitter\)/ }).check();
  await expect(status(page)).toHaveText("Done: 6 of 6 images");
  await expect(group("X (Twitter)").getByTestId("creative-slot")).toHaveCount(2);
  await expect(group("Instagram square").locator("img").first()).toHaveAttribute("src", kept!);
  await expect(group("X (Twitter)").getByTestId("variant-label")).toHaveText(await group("Instagram square").getByTestId("variant-label").allTextContents());

  await page.reload();
  await expect(status(page)).toHaveText("Done: 6 of 6 images");
  for (const name of ["Instagram square", "Story / Reel", "X (Twitter)"]) await expect(group(name).getByTestId("creative-slot")).toHaveCount(2);
  await expect(page.getByRole("checkbox", { name: /X \(Twitter\)/ })).toBeChecked();
  await expect(page.getByLabel("Number of images")).toHaveValue("2");
});
