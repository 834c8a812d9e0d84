import { expect, test, type Browser, type Page } from "@playwright/test";
import { readOutboundAttempts } from "../support/app-server";
import { ACCOUNTS_APP_PORT, GUARD_LOGS } from "./e2e-ports";

/**
 * A team on a shared server (AUTH=on), in Chromium: the owner creates the first account and a
 * campaign, invites a member by link, the member signs up through it, signs in again later and
 * sees the workspace's history; a stranger sees nothing.
 */
const APP = `http://127.0.0.1:${ACCOUNTS_APP_PORT}`;
const PASSWORD = "correct horse battery";

test.describe.configure({ mode: "serial" });

let invitationLink = "";
let ownersJobPath = "";

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: APP });
  return context.newPage();
}

/** Fills the sign-in form the page is on and sends it. */
async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A new browser signed in as the owner, on the generator. */
async function ownerPage(browser: Browser): Promise<Page> {
  const page = await freshPage(browser);
  await page.goto("/sign-in");
  await submitSignIn(page, "olivia@example.com", PASSWORD);
  await expect(page.getByRole("button", { name: "Generate Creatives" })).toBeVisible();
  return page;
}

test.afterAll(() => {
  expect(readOutboundAttempts(GUARD_LOGS.accounts)).toEqual([]);
});

test("the owner creates the first account, generates a campaign and makes an invitation link", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Create the owner account" })).toBeVisible();
  await page.getByLabel("Your name").fill("Olivia Owner");
  await page.getByLabel("Email").fill("olivia@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("button", { name: "Generate Creatives" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Olivia's workspace" })).toBeVisible();
  await page.getByLabel("Product name").fill("Team Lantern");
  await page.getByLabel("Number of images").selectOption("2");
  await page.getByRole("button", { name: "Generate Creatives" }).click();
  await expect(page.getByTestId("status-text")).toHaveText(/Done: 2 of 2 images/, { timeout: 45_000 });
  ownersJobPath = new URL(page.url()).pathname + new URL(page.url()).search;
  expect(ownersJobPath).toMatch(/\?job=/);

  await page.getByRole("link", { name: "Olivia's workspace" }).click();
  await expect(page.getByRole("heading", { name: "Olivia's workspace" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Members" })).toContainText("olivia@example.com");
  await page.getByLabel("Their email").fill("bob@example.com");
  await page.getByRole("button", { name: "Make an invitation link" }).click();
  const link = page.getByRole("status").getByTestId("invitation-link");
  await expect(link).toHaveValue(new RegExp(`^${APP}/invite/`));
  invitationLink = await link.inputValue();
  await expect(page.getByRole("list", { name: "Pending invitations" })).toContainText("bob@example.com");
  await page.context().close();
});

test("the member joins through the link, signs in again later, and sees the workspace's history", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto(invitationLink);
  await expect(page.getByRole("heading", { name: "Join Olivia's workspace" })).toBeVisible();
  await expect(page.getByText("Olivia Owner invited bob@example.com")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("bob@example.com");
  await page.getByLabel("Your name").fill("Bob Member");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await expect(page.getByRole("link", { name: "Olivia's workspace" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/history");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhistory$/);
  await submitSignIn(page, "bob@example.com", PASSWORD);
  await expect(page).toHaveURL(/\/history$/);
  await expect(page.getByTestId("history-item")).toHaveCount(1);
  await expect(page.getByTestId("history-item")).toContainText("Team Lantern");
  // The workspace's creatives load for the member too.
  await expect(page.getByTestId("history-item").locator("img").first()).toHaveJSProperty("complete", true);
  expect(await page.getByTestId("history-item").locator("img").first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.context().close();
});

test("a stranger sees nothing: every page asks them to sign in, and sign-up is by invitation", async ({ browser }) => {
  const page = await freshPage(browser);
  for (const path of ["/", "/history", ownersJobPath, "/workspace"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
  await expect(page.getByText("Team Lantern")).toHaveCount(0);
  const api = await page.request.get("/api/jobs");
  expect(api.status()).toBe(401);
  await page.goto("/sign-up");
  await expect(page.getByText("Accounts here are by invitation.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
  // A used invitation link lets nobody in again.
  await page.goto(invitationLink);
  await expect(page.getByText("This invitation has been used already")).toBeVisible();
  await page.context().close();
});

test("the owner makes an API token on the Workspace page, sees it once, a script uses it, and revoking stops it", async ({ browser }) => {
  const page = await ownerPage(browser);
  await page.goto("/workspace");
  await page.getByLabel("Token name").fill("CI batch");
  await page.getByRole("button", { name: "Make a token" }).click();
  const shown = page.getByTestId("new-api-token");
  await expect(shown).toHaveValue(/^acg_/);
  const token = await shown.inputValue();
  const listed = page.getByRole("list", { name: "Your API tokens" });
  await expect(listed).toContainText("CI batch");
  await expect(listed).toContainText("never used");
  expect(await listed.textContent()).not.toContain(token);

  // A script (no cookie) with the token sees the workspace's campaigns.
  const script = await fetch(`${APP}/api/jobs`, { headers: { authorization: `Bearer ${token}` } });
  expect(script.status).toBe(200);
  expect(JSON.stringify(await script.json())).toContain("Team Lantern");

  // Reloaded, the token is no longer shown anywhere; revoking it stops the script at once.
  await page.reload();
  await expect(page.getByTestId("new-api-token")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Your API tokens" })).toContainText(/last used/);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revoke CI batch" }).click();
  await expect(page.getByRole("list", { name: "Your API tokens" })).toHaveCount(0);
  expect((await fetch(`${APP}/api/jobs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  await page.context().close();
});

test("the owner makes a password-reset link for a member, who chooses a new password through it and signs in", async ({ browser }) => {
  const owner = await ownerPage(browser);
  await owner.goto("/workspace");
  await owner.getByRole("button", { name: "Password reset link for bob@example.com" }).click();
  const link = owner.getByTestId("reset-link");
  await expect(link).toHaveValue(new RegExp(`^${APP}/reset-password\\?token=`));
  const resetLink = await link.inputValue();
  await owner.context().close();

  const member = await freshPage(browser);
  await member.goto(resetLink);
  await member.getByLabel("New password", { exact: true }).fill("bob's brand new password");
  await member.getByRole("button", { name: "Change the password" }).click();
  await expect(member).toHaveURL(/\/sign-in\?done=password$/);
  await expect(member.getByRole("status")).toHaveText("Password changed: the account is signed out everywhere and its API tokens no longer work. Sign in with the new one.");
  // A sign-in link whose next page is another site's (a tab the browser drops, leaving //) leads home instead (#21.3).
  await member.goto("/sign-in?next=/%09/evil.example/x");
  await submitSignIn(member, "bob@example.com", "bob's brand new password");
  await expect(member.getByRole("button", { name: "Generate Creatives" })).toBeVisible();
  expect(new URL(member.url()).origin).toBe(APP);
  // The link worked once.
  await member.goto(resetLink);
  await member.getByLabel("New password", { exact: true }).fill("yet another password");
  await member.getByRole("button", { name: "Change the password" }).click();
  await expect(member.getByText("This link has expired or was used already: ask for a new one.")).toBeVisible();
  await member.context().close();
});
