import { expect, test } from "@playwright/test";

// Two clients' kits in one workspace: choosing one brings its brand and its own brief together.
test.use({ viewport: { width: 1440, height: 900 } });

test("saves a kit per client and switches between them, brief and brand together", async ({ page }) => {
  await page.goto("/");
  const suffix = Date.now().toString(36);
  const kitName = page.getByLabel("Kit name");

  await page.getByLabel("Product name").fill(`Sourdough box ${suffix}`);
  await page.getByLabel("Brand name").fill("Crumb & Co");
  await page.getByLabel("Primary colour", { exact: true }).fill("#7B3F00");
  await kitName.fill(`Bakery ${suffix}`);
  await page.getByRole("button", { name: "Save brand kit" }).click();
  await expect(page.getByTestId("brand-kits").getByRole("status")).toHaveText(`Saved "Bakery ${suffix}" with this brief.`);

  await page.getByLabel("Product name").fill(`Ledgerly ${suffix}`);
  await page.getByLabel("Brand name").fill("Ledgerly");
  await page.getByLabel("Primary colour", { exact: true }).fill("#0B3D91");
  await kitName.fill(`Software ${suffix}`);
  await page.getByRole("button", { name: "Save brand kit" }).click();
  await expect(page.getByTestId("brand-kits").getByRole("status")).toHaveText(`Saved "Software ${suffix}" with this brief.`);

  // A new page lists both; choosing one sets its brand and its brief.
  await page.reload();
  await page.getByLabel("Client brand kit").selectOption({ label: `Bakery ${suffix}` });
  await expect(page.getByLabel("Brand name")).toHaveValue("Crumb & Co");
  await expect(page.getByLabel("Primary colour", { exact: true })).toHaveValue("#7B3F00");
  await expect(page.getByLabel("Product name")).toHaveValue(`Sourdough box ${suffix}`);
  await page.getByLabel("Client brand kit").selectOption({ label: `Software ${suffix}` });
  await expect(page.getByLabel("Brand name")).toHaveValue("Ledgerly");
  await expect(page.getByLabel("Product name")).toHaveValue(`Ledgerly ${suffix}`);

  await page.getByRole("button", { name: `Delete the brand kit Software ${suffix}` }).click();
  await expect(page.getByLabel("Client brand kit").locator("option", { hasText: `Software ${suffix}` })).toHaveCount(0);
});
