import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { acceptInvitation, authPost, getAs, invite, sendAs, signIn, signUp, type Person } from "../support/accounts-client";
import { cleanEnv, makeTempDir, REPO_ROOT, startApp, type AppServer } from "../support/app-server";

/**
 * Issue #21, accounts: what an attacker found with accounts on, each reproduced against the built
 * app (SIGN_UP=open, so people can own workspaces of their own and belong to others too).
 * Sign-ins are few on purpose: 5 a minute from one address is the throttle.
 */

const AUTH_SECRET = `secret-${randomBytes(16).toString("hex")}`;
const dataDir = makeTempDir("acg-account-holes-");
let app: AppServer;
const url = () => app.url;

let olivia: Person; // owns workspace A
let alice: Person; // admin of A
let bob: Person; // owns workspace B, member of A
let erin: Person; // member of A and member of B
let dave: Person; // member of A only
const memberIds: Record<string, string> = {};

async function membersOfA(): Promise<{ id: string; user: { email: string } }[]> {
  return ((await (await getAs(url(), olivia, "/api/auth/organization/list-members")).json()) as { members: { id: string; user: { email: string } }[] }).members;
}

async function join(by: Person, who: { name: string; email: string }, role: "member" | "admin" = "member", existing?: Person): Promise<Person> {
  const invitationId = await invite(url(), by, who.email, role);
  const person = existing ?? (await signUp(url(), who));
  expect((await acceptInvitation(url(), person, invitationId)).status).toBe(200);
  return person;
}

const resetLinkFor = (by: Person, email: string) => sendAs(url(), by, "POST", "/api/password-resets", { memberId: memberIds[email] });

beforeAll(async () => {
  app = await startApp({ DATA_DIR: dataDir, AUTH: "on", SIGN_UP: "open", AUTH_SECRET });
  olivia = await signUp(url(), { name: "Olivia Owner", email: "olivia@example.com" });
  bob = await signUp(url(), { name: "Bob Elsewhere", email: "bob@example.com" }); // open sign-up: owns workspace B
  await join(olivia, { name: "Bob Elsewhere", email: "bob@example.com" }, "member", bob);
  alice = await join(olivia, { name: "Alice Admin", email: "alice@example.com" }, "admin");
  dave = await join(olivia, { name: "Dave Designer", email: "dave@example.com" });
  erin = await join(olivia, { name: "Erin Twice", email: "erin@example.com" });
  // Erin is a plain member of Bob's workspace too: Bob sets B active, then invites her.
  const bobs = ((await (await getAs(url(), bob, "/api/auth/organization/list")).json()) as { id: string; name: string }[]).find((workspace) => workspace.name === "Bob's workspace")!;
  expect((await authPost(url(), "/organization/set-active", { organizationId: bobs.id }, bob.cookie)).status).toBe(200);
  await join(bob, { name: "Erin Twice", email: "erin@example.com" }, "member", erin);
  for (const member of await membersOfA()) memberIds[member.user.email] = member.id;
}, 120_000);

appSuiteHooks(() => ({ app, dataDir }));

describe("#21.1 a reset link cannot take over an account that is also elsewhere", () => {
  it("the owner cannot make one for a member who owns another workspace: 403, saying who can", async () => {
    const refused = await resetLinkFor(olivia, "bob@example.com");
    expect(refused.status).toBe(403);
    const { error } = (await refused.json()) as { error: string };
    expect(error).toMatch(/owns another workspace/);
    expect(error).toMatch(/npm run reset-password/);
  });

  it("an admin cannot make one for a member who also belongs to another workspace, nor for one who owns one", async () => {
    const memberElsewhere = await resetLinkFor(alice, "erin@example.com");
    expect(memberElsewhere.status).toBe(403);
    expect(((await memberElsewhere.json()) as { error: string }).error).toMatch(/also a member of another workspace/);
    expect((await resetLinkFor(alice, "bob@example.com")).status).toBe(403);
  });

  it("a member whose every membership is in this workspace still gets a link, from an admin", async () => {
    const made = await resetLinkFor(alice, "dave@example.com");
    expect(made.status, await made.clone().text()).toBe(201);
  });
});

describe("#21.2 a password reset ends the account's API tokens as well as its sessions", () => {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const makeToken = async (who: Person, name: string) => ((await (await sendAs(url(), who, "POST", "/api/tokens", { name })).json()) as { token: string }).token;

  it("through an owner's link", async () => {
    const token = await makeToken(dave, "dave's script");
    expect((await getAs(url(), undefined, "/api/jobs", bearer(token))).status).toBe(200);
    const { path: link } = (await (await resetLinkFor(olivia, "dave@example.com")).json()) as { path: string };
    const resetToken = new URL(link, url()).searchParams.get("token");
    expect((await authPost(url(), "/reset-password", { newPassword: "a new passphrase for dave", token: resetToken })).status).toBe(200);
    expect((await getAs(url(), dave, "/api/jobs")).status).toBe(401);
    expect((await getAs(url(), undefined, "/api/jobs", bearer(token))).status).toBe(401);
    dave = await signIn(url(), "dave@example.com", "a new passphrase for dave");
  });

  it("through the operator's npm run reset-password", async () => {
    const token = await makeToken(dave, "dave's laptop");
    expect((await getAs(url(), undefined, "/api/jobs", bearer(token))).status).toBe(200);
    const command = spawn("npm", ["run", "--silent", "reset-password", "--", "dave@example.com"], { cwd: REPO_ROOT, env: cleanEnv({ DATA_DIR: dataDir, AUTH_SECRET }) as unknown as NodeJS.ProcessEnv });
    let output = "";
    command.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    command.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => command.once("exit", resolve)), output).toBe(0);
    expect(output).toMatch(/API tokens/);
    const resetToken = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(output)![1];
    expect((await authPost(url(), "/reset-password", { newPassword: "the operator's choice for dave", token: resetToken })).status).toBe(200);
    expect((await getAs(url(), undefined, "/api/jobs", bearer(token))).status).toBe(401);
  });

  it("and the pages say so: the reset form before, the sign-in page after", async () => {
    expect(await (await getAs(url(), undefined, "/reset-password?token=abcdefgh12345678")).text()).toMatch(/API tokens/);
    expect(await (await getAs(url(), undefined, "/sign-in?done=password")).text()).toMatch(/API tokens/);
  });
});

describe("#21.1, later: a link made while the account was only here stops working once it is elsewhere too", () => {
  it("is refused when used, saying why, and changes nothing", async () => {
    const made = await resetLinkFor(alice, "dave@example.com");
    expect(made.status).toBe(201);
    const resetToken = new URL(((await made.json()) as { path: string }).path, url()).searchParams.get("token");
    dave = await signIn(url(), "dave@example.com", "the operator's choice for dave");
    await join(bob, { name: "Dave Designer", email: "dave@example.com" }, "member", dave);
    const used = await authPost(url(), "/reset-password", { newPassword: "olivia's admin takes over dave", token: resetToken });
    expect(used.status).toBe(403);
    expect(((await used.json()) as { message: string }).message).toMatch(/can no longer be used: since it was made, dave@example\.com is also a member of another workspace.*npm run reset-password/);
    // Not reset: Dave's session still works.
    expect((await getAs(url(), dave, "/api/jobs")).status).toBe(200);
  });
});

describe("#21.3 after sign-in, only paths of this site", () => {
  /** Where the sign-in form will send the browser: its `next` property, as the page hands it over. */
  async function nextOfSignIn(query: string): Promise<string> {
    const page = await (await getAs(url(), undefined, `/sign-in?next=${query}`)).text();
    const found = /\{\\"next\\":\\"(.*?)\\"\}/.exec(page);
    expect(found, "the sign-in form and its next").not.toBeNull();
    return JSON.parse(`"${found![1]!.replace(/\\\\/g, "\\")}"`) as string;
  }

  it.each(["/%09/evil.example/x", "//evil.example/x", "/\\evil.example/x", "https://evil.example/x", "/%0A/evil.example", "/\t/evil.example", "javascript:alert(1)"])("next=%s is dropped", async (next) => {
    expect(await nextOfSignIn(next.startsWith("/%") ? next : encodeURIComponent(next))).toBe("/");
  });

  it("a path of this site survives, with its query", async () => {
    expect(await nextOfSignIn(encodeURIComponent("/history?cursor=abc"))).toBe("/history?cursor=abc");
  });
});

describe("#21.4 names are at most 100 characters", () => {
  const long = "N".repeat(2 * 1024 * 1024);

  it("a 2 MB display name at sign-up: 400 naming the field, and no account made", async () => {
    const response = await authPost(url(), "/sign-up/email", { name: long, email: "huge@example.com", password: "correct horse battery" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^name: at most 100 characters/);
    const again = await authPost(url(), "/sign-up/email", { name: "N".repeat(101), email: "huge@example.com", password: "correct horse battery" });
    expect(again.status).toBe(400);
    // A picture's address travels with the name in every session answer: it has a limit too.
    const image = await authPost(url(), "/sign-up/email", { name: "Huge", image: `https://example.com/${"i".repeat(1024 * 1024)}`, email: "huge@example.com", password: "correct horse battery" });
    expect(image.status).toBe(400);
    expect(((await image.json()) as { message: string }).message).toMatch(/^image: at most 2048 characters/);
  });

  it("renaming oneself or the workspace past 100 characters: 400 naming the field; 100 is fine", async () => {
    const user = await authPost(url(), "/update-user", { name: "N".repeat(101) }, olivia.cookie);
    expect(user.status).toBe(400);
    expect(((await user.json()) as { message: string }).message).toMatch(/^name: at most 100 characters/);
    const workspace = await authPost(url(), "/organization/update", { data: { name: "W".repeat(101) } }, olivia.cookie);
    expect(workspace.status).toBe(400);
    expect(((await workspace.json()) as { message: string }).message).toMatch(/^name: at most 100 characters/);
    expect((await authPost(url(), "/update-user", { name: "N".repeat(100) }, olivia.cookie)).status).toBe(200);
    expect((await authPost(url(), "/update-user", { name: "Olivia Owner" }, olivia.cookie)).status).toBe(200);
  });

  it("a token's name past its limit: 400 naming the field", async () => {
    const response = await sendAs(url(), olivia, "POST", "/api/tokens", { name: "T".repeat(101) });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/"name"/);
  });

  it("a newcomer's workspace is named within the limit, whatever their name", async () => {
    const long = await signUp(url(), { name: "K".repeat(100), email: "kay@example.com" });
    const names = ((await (await getAs(url(), long, "/api/auth/organization/list")).json()) as { name: string }[]).map((workspace) => workspace.name);
    expect(names).toHaveLength(1);
    expect(names[0]!.length).toBeLessThanOrEqual(100);
  });
});

describe("beyond the issue: what else an attacker tried", () => {
  it("a body of 50 MB to a sign-in endpoint is refused before it is read (413), a streamed one asks for its length (411)", async () => {
    const big = await authPost(url(), "/sign-up/email", { name: "Big", email: "big@example.com", password: "correct horse battery", pad: "p".repeat(50 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const streamed = await fetch(`${url()}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { origin: url(), "content-type": "application/json" },
      body: new Blob([JSON.stringify({ name: "S", email: "s@example.com", password: "correct horse battery" })]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(411);
  });

  it("an owner cannot delete the workspace through better-auth: its campaigns and files would belong to nobody", async () => {
    const [workspace] = (await (await getAs(url(), olivia, "/api/auth/organization/list")).json()) as { id: string }[];
    const deleted = await authPost(url(), "/organization/delete", { organizationId: workspace!.id }, olivia.cookie);
    expect(deleted.status).toBeGreaterThanOrEqual(400);
    expect((await getAs(url(), olivia, "/api/jobs")).status).toBe(200);
    expect(((await (await getAs(url(), olivia, "/api/auth/organization/list")).json()) as { id: string }[]).map((each) => each.id)).toContain(workspace!.id);
  });
});

describe("#21.5 sign-up and existing addresses (a trade-off, documented in the README)", () => {
  it("sign-in tells a wrong password and an unknown address apart in nothing", async () => {
    const wrong = await authPost(url(), "/sign-in/email", { email: "bob@example.com", password: "not bob's password" });
    const unknown = await authPost(url(), "/sign-in/email", { email: "nobody@example.com", password: "not bob's password" });
    expect([wrong.status, await wrong.text()]).toEqual([unknown.status, await unknown.text()]);
    expect(wrong.status).toBe(401);
  });

  it("by invitation (the default), a taken address and a free one get the same refusal", async () => {
    await app.stop();
    app = await startApp({ DATA_DIR: dataDir, AUTH: "on", SIGN_UP: "invite", AUTH_SECRET });
    const taken = await authPost(url(), "/sign-up/email", { name: "Mallory", email: "bob@example.com", password: "correct horse battery" });
    const free = await authPost(url(), "/sign-up/email", { name: "Mallory", email: "nobody@example.com", password: "correct horse battery" });
    expect([taken.status, await taken.text()]).toEqual([free.status, await free.text()]);
    expect(taken.status).toBe(403);
  });

  it("probing addresses costs sign-up attempts, whatever they answer: 20 a minute from one address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await authPost(url(), "/sign-up/email", { name: "Mallory", email: `probe${i}@example.com`, password: "correct horse battery" })).status);
    expect(statuses.at(-1)).toBe(429);
  });
});
