import { expect, test } from "@playwright/test";
import { readOutboundAttempts } from "../support/app-server";
import { controlHuggingFace } from "../support/fakes/hugging-face";
import { QWEN, SCHNELL, SDXL } from "../support/fakes/hub-models";
import { GUARD_LOGS, HOSTED_APP_PORT, HOSTED_PORTS } from "./e2e-ports";

// The app configured for Hugging Face Inference Providers and Pollinations with a key, both
// played by local stand-ins (tests/support/fakes) on 127.0.0.1.
test.use({ baseURL: `http://127.0.0.1:${HOSTED_APP_PORT}` });

const ROUTER = `http://127.0.0.1:${HOSTED_PORTS.router}`;

test.beforeEach(async () => {
  await controlHuggingFace(ROUTER, { reset: true });
});

test.afterAll(() => {
  expect(readOutboundAttempts(GUARD_LOGS.hosted)).toEqual([]);
});

test("a marketer picks a model, sees who serves it, checks the token, and watches a provider that does not serve it fall back to the next", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("radio", { name: /Hugging Face/ })).toBeChecked();
  const model = page.getByLabel("Model", { exact: true });
  await expect(model).toHaveValue(SDXL);
  await expect(page.getByTestId("model-note")).toHaveText("Served by fal-ai, nscale, hf-inference (tried in this order)");
  // A model no provider serves is offered but cannot be chosen, and says why.
  await expect(model.locator("option", { hasText: "Qwen-Image" })).toBeDisabled();
  await expect(model.locator("option", { hasText: "Qwen-Image" })).toHaveText("Qwen-Image (unavailable)");
  await expect(page.getByTestId("unavailable-models")).toHaveText(`No Inference Provider serves ${QWEN} for text-to-image right now; choose another model.`);
  await expect(model.locator("option", { hasText: "FLUX.1-schnell" })).toHaveText("FLUX.1-schnell — replicate, together");
  await model.selectOption(SCHNELL);
  await expect(page.getByTestId("model-note")).toHaveText("Served by replicate, together (tried in this order)");

  await page.getByRole("button", { name: /Check/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed in as" })).toHaveText("Signed in as ada-lovelace");

  await model.selectOption(SDXL);
  await page.getByLabel("Number of images").selectOption("2");
  await controlHuggingFace(ROUTER, { script: { "fal-ai": [{ kind: "status", status: 404, body: { error: "Model not supported by provider fal-ai" } }, { kind: "status", status: 404, body: { error: "Model not supported by provider fal-ai" } }] } });
  await page.getByRole("button", { name: "Generate Creatives" }).click();

  const slots = page.getByTestId("creative-slot");
  await expect(slots).toHaveCount(2);
  await expect(page.getByTestId("status-text")).toHaveText("Done: 2 of 2 images");
  for (const slot of await slots.all()) {
    await expect(slot.getByTestId("made-by")).toHaveText("Hugging Face · nscale");
    await expect(slot.getByTestId("made-by")).toHaveAttribute("title", SDXL);
  }
});

test("Pollinations with a key offers its image models and makes the creative with the one chosen", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("radio", { name: /^Pollinations/ }).check();
  const model = page.getByLabel("Model", { exact: true });
  await expect(model).toHaveValue("flux");
  await expect(model.locator("option")).toHaveText([/^flux/, /^turbo/, /^gptimage/]);
  await model.selectOption("turbo");
  await page.getByLabel("Number of images").selectOption("1");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(page.getByTestId("status-text")).toHaveText("Done: 1 of 1 image");
  await expect(page.getByTestId("made-by")).toHaveText("Pollinations · API key");
  await expect(page.getByTestId("made-by")).toHaveAttribute("title", "turbo");
});
