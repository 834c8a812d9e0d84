// Takes the README screenshot: the page after one run on whatever provider the server defaults to.
// Usage: node scripts/screenshot.mjs http://127.0.0.1:3000 docs/screenshot.png
import { chromium } from "@playwright/test";

const [url = "http://127.0.0.1:3000", out = "docs/screenshot.png"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
await page.goto(url);
await page.getByRole("button", { name: "Generate Creatives" }).click();
await page.getByText(/^Done: /).waitFor({ timeout: 60_000 });
await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
await page.waitForTimeout(400);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`saved ${out}`);
