import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DESIGN } from "../../lib/design";
import { appSuiteHooks } from "../support/app-suite";
import { acceptInvitation, authPost, getAs, invite, sameSite, sendAs, signIn, signUp, type Person } from "../support/accounts-client";
import { cleanEnv, freePort, makeTempDir, REPO_ROOT, startApp, type AppServer } from "../support/app-server";
import { fakeImage } from "../support/fakes/fake-image";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF, generate, type Run } from "../support/generation-client";

/** better-auth's limit on sign-ins a minute from one address, as lib/server/auth/auth-server.ts sets it. */
const SIGN_IN_ATTEMPTS_PER_MINUTE = 5;

/**
 * Accounts and workspaces (AUTH=on) against the built app: what a team sharing one server
 * sees. The same DATA_DIR is used first without accounts, so the owner's workspace is shown
 * taking over what was made before; then with invitations only; then with open sign-up, for a
 * stranger with a workspace of their own who must not reach anything of the first.
 */

const AUTH_SECRET = `secret-canary-${randomBytes(16).toString("hex")}`;
const dataDir = makeTempDir("acg-accounts-");
let app: AppServer | undefined;
/** A Hugging Face endpoint whose pictures are detailed enough that their previews are served, not inlined. */
let detailed: FakeProvider | undefined;

/** Everything any response said, to look for secrets in at the end. */
const seen: string[] = [];
async function remember(response: Response): Promise<Response> {
  const body = Buffer.from(await response.arrayBuffer());
  seen.push(`${response.status} ${JSON.stringify([...response.headers])}\n${body.toString("latin1")}`);
  return new Response(response.status === 204 || response.status === 304 ? null : body, { status: response.status, headers: response.headers });
}
function rememberRun(run: Run): Run {
  seen.push(run.messages.map((message) => message.data).join("\n"));
  return run;
}

async function restart(extra: Record<string, string>): Promise<AppServer> {
  await app?.stop();
  app = await startApp({ DATA_DIR: dataDir, AUTH_SECRET, GENERATION_TIMEOUT_MS: "10000", ...extra });
  return app;
}

function url(): string {
  return app!.url;
}

const as = (who: Person) => ({ cookie: who.cookie, origin: url() });

// What existed before accounts: a campaign with a logo, made with AUTH=off.
let legacy: { jobId: string; logoId: string; compositeId: string; fileId: string; thumbId: string };
let owner: Person;
let bob: Person;

beforeAll(async () => {
  await restart({ AUTH: "off" });
  const logo = await fetch(`${url()}/api/logos`, { method: "POST", body: new Uint8Array(await fakeImage(64, 64, "png", 3)) });
  expect(logo.status).toBe(201);
  const { logoId } = (await logo.json()) as { logoId: string };
  const run = await generate(url(), { count: 1, design: { ...DEFAULT_DESIGN, headline: "Before accounts", logoId } });
  const image = run.of("image")[0]!;
  const job = (await (await fetch(`${url()}/api/jobs/${run.of("start")[0]!.jobId}`)).json()) as { id: string; images: { url: string; rawUrl: string; thumbUrl: string }[] };
  const idOf = (address: string) => address.split("/").pop()!;
  legacy = { jobId: job.id, logoId, compositeId: idOf(job.images[0]!.url), fileId: idOf(job.images[0]!.rawUrl), thumbId: idOf(job.images[0]!.thumbUrl) };
  expect(image.index).toBe(0);
  await restart({ AUTH: "on", SIGN_UP: "invite" });
}, 120_000);

appSuiteHooks(() => ({ app, dataDir, standIns: [detailed] }));

describe("before the first account", () => {
  it("answers the API with 401 and sends a browser to create the owner account", async () => {
    const jobs = await remember(await getAs(url(), undefined, "/api/jobs"));
    expect(jobs.status).toBe(401);
    expect(((await jobs.json()) as { error: string }).error).toMatch(/Sign in/);
    const home = await getAs(url(), undefined, "/");
    expect(home.status).toBe(307);
    expect(home.headers.get("location")).toMatch(/\/sign-up$/);
  });
});

describe("the owner and an invited member", () => {
  it("the first account owns a workspace holding everything made before accounts", async () => {
    owner = await signUp(url(), { name: "Olivia Owner", email: "olivia@example.com" });
    // The session cookie: out of scripts' reach, not sent along by other sites' requests.
    const session = owner.setCookie!.find((line) => line.startsWith("acg.session_token="))!;
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).not.toMatch(/; Secure/i); // plain http here; APP_URL=https makes it Secure (tests/unit/auth-cookies.test.ts)
    const list = (await (await remember(await getAs(url(), owner, "/api/jobs"))).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((job) => job.id)).toEqual([legacy.jobId]);
    for (const id of [legacy.compositeId, legacy.fileId, legacy.thumbId, legacy.logoId]) expect((await getAs(url(), owner, `/api/images/${id}`)).status).toBe(200);
    // The brand kit is remembered for the workspace: the new-campaign page starts from it.
    const page = await (await getAs(url(), owner, "/")).text();
    expect(page).toContain("Before accounts");
  });

  it("refuses a sign-up without an invitation, saying how to get in", async () => {
    const response = await remember(await authPost(url(), "/sign-up/email", { name: "Mallory", email: "mallory@example.com", password: "correct horse battery" }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/invitation/);
  });

  it("an invited member signs up with the link, joins, and sees the workspace's campaigns", async () => {
    const invitationId = await invite(url(), owner, "bob@example.com");
    const page = await (await getAs(url(), undefined, `/invite/${invitationId}`)).text();
    expect(page).toContain("Olivia Owner invited bob@example.com");
    bob = await signUp(url(), { name: "Bob Member", email: "bob@example.com" });
    // Signed up but not yet joined: in no workspace.
    expect((await getAs(url(), bob, "/api/jobs")).status).toBe(403);
    expect((await remember(await acceptInvitation(url(), bob, invitationId))).status).toBe(200);
    const list = (await (await getAs(url(), bob, "/api/jobs")).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((job) => job.id)).toEqual([legacy.jobId]);
    // The link works once.
    expect((await acceptInvitation(url(), bob, invitationId)).status).toBeGreaterThanOrEqual(400);
    expect(await (await getAs(url(), undefined, `/invite/${invitationId}`)).text()).toContain("has been used already");
  });

  it("a run a member starts is the whole workspace's: the owner follows and downloads it", async () => {
    const run = rememberRun(await generate(url(), { count: 2 }, { headers: as(bob) }));
    const jobId = run.of("start")[0]!.jobId;
    expect(run.of("done")[0]).toMatchObject({ succeeded: 2 });
    const events = await getAs(url(), owner, `/api/jobs/${jobId}/events`);
    expect(events.status).toBe(200);
    await events.body?.cancel();
    const zip = await getAs(url(), owner, `/api/jobs/${jobId}/download`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    await zip.arrayBuffer();
  });

  it("someone removed from the workspace loses it at once", async () => {
    const members = (await (await getAs(url(), owner, "/api/auth/organization/list-members")).json()) as { members: { id: string; user: { email: string } }[] };
    const bobMember = members.members.find((member) => member.user.email === "bob@example.com")!;
    expect((await authPost(url(), "/organization/remove-member", { memberIdOrEmail: bobMember.id }, owner.cookie)).status).toBe(200);
    const after = await remember(await getAs(url(), bob, "/api/jobs"));
    expect(after.status).toBe(403);
    expect((await getAs(url(), bob, `/api/jobs/${legacy.jobId}`)).status).toBe(403);
  });

  it("a signed-out session opens nothing", async () => {
    const session = await signIn(url(), "olivia@example.com", owner.password);
    expect((await getAs(url(), session, "/api/jobs")).status).toBe(200);
    expect((await authPost(url(), "/sign-out", {}, session.cookie)).status).toBe(200);
    expect((await getAs(url(), session, "/api/jobs")).status).toBe(401);
    expect((await getAs(url(), session, `/api/images/${legacy.compositeId}`)).status).toBe(401);
  });
});

describe("cross-site requests", () => {
  it("are refused on every state-changing route, with or without a session, whatever the page's origin", async () => {
    const attempts: [string, string, unknown][] = [
      ["POST", "/api/generate-images", { productName: "x" }],
      ["DELETE", `/api/jobs/${legacy.jobId}`, undefined],
      ["POST", `/api/jobs/${legacy.jobId}/cancel`, {}],
      ["PATCH", `/api/jobs/${legacy.jobId}/design`, { design: { headline: "Hacked" } }],
      ["POST", "/api/auth/organization/invite-member", { email: "evil@example.com", role: "admin" }],
    ];
    for (const [method, pathname, body] of attempts) {
      const crossSite: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }];
      for (const headers of crossSite) {
        const response = await remember(await sendAs(url(), owner, method, pathname, body, headers));
        expect(response.status, `${method} ${pathname} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    const job = (await (await getAs(url(), owner, `/api/jobs/${legacy.jobId}`)).json()) as { design: { headline: string } };
    expect(job.design.headline).toBe("Before accounts");
  });
});

let eve: Person;
let evesJobId: string;

describe("a stranger with a workspace of their own (SIGN_UP=open)", () => {

  beforeAll(async () => {
    detailed = await startFakeHuggingFace({ detailed: true });
    await restart({ AUTH: "on", SIGN_UP: "open", TOKEN_RUNS_PER_MINUTE: "3", HF_TOKEN: "hf_accountsTest", HF_ENDPOINT_URL: `${detailed.url}/models/sdxl` });
    owner = await signIn(url(), "olivia@example.com", owner.password);
    eve = await signUp(url(), { name: "Eve Stranger", email: "eve@example.com" });
    const run = rememberRun(await generate(url(), { count: 1, design: { ...DEFAULT_DESIGN, headline: "Eve's own" } }, { headers: as(eve) }));
    evesJobId = run.of("start")[0]!.jobId;
  }, 60_000);

  it("sees only her own campaigns, in the API and on the pages", async () => {
    const list = (await (await remember(await getAs(url(), eve, "/api/jobs"))).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((job) => job.id)).toEqual([evesJobId]);
    const history = await (await getAs(url(), eve, "/history")).text();
    expect(history).toContain("Eve&#x27;s own");
    expect(history).not.toContain("Before accounts");
    const ownerHistory = await (await getAs(url(), owner, "/history")).text();
    expect(ownerHistory).not.toContain("Eve&#x27;s own");
  });

  it("cannot read, follow, download, edit, rerun, stop or delete anything of the first workspace: every id answers as unknown", async () => {
    const unknownJob = "AAAAAAAAAAAAAAAA";
    const notFound = async (response: Response, what: string) => {
      await remember(response);
      expect(response.status, what).toBe(404);
    };
    for (const jobId of [legacy.jobId, unknownJob]) {
      await notFound(await getAs(url(), eve, `/api/jobs/${jobId}`), "details");
      await notFound(await getAs(url(), eve, `/api/jobs/${jobId}/events`), "events");
      await notFound(await getAs(url(), eve, `/api/jobs/${jobId}/events`, { "last-event-id": "1" }), "events after an id");
      await notFound(await getAs(url(), eve, `/api/jobs/${jobId}/download`), "zip");
      await notFound(await getAs(url(), eve, `/api/jobs/${jobId}/images/0/export`), "export");
      await notFound(await sendAs(url(), eve, "HEAD", `/api/jobs/${jobId}/images/0/export`), "export HEAD");
      await notFound(await sendAs(url(), eve, "PATCH", `/api/jobs/${jobId}/design`, { design: { headline: "Mine now" } }), "design edit");
      await notFound(await sendAs(url(), eve, "PATCH", `/api/jobs/${jobId}/images/0`, { layout: "bottom-band" }), "layout edit");
      await notFound(await sendAs(url(), eve, "POST", `/api/jobs/${jobId}/images`, { action: "more", index: 0 }), "more like this");
      await notFound(await sendAs(url(), eve, "POST", `/api/jobs/${jobId}/cancel`, {}), "stop");
      await notFound(await sendAs(url(), eve, "DELETE", `/api/jobs/${jobId}`), "delete");
    }
    // The first workspace's answer to an unknown id and to its own is told apart by nothing.
    const mine = await getAs(url(), eve, `/api/jobs/${legacy.jobId}`);
    const none = await getAs(url(), eve, `/api/jobs/${unknownJob}`);
    expect(await mine.text()).toBe(await none.text());
    for (const id of [legacy.compositeId, legacy.fileId, legacy.thumbId, legacy.logoId]) {
      await notFound(await getAs(url(), eve, `/api/images/${id}`), `image ${id}`);
      await notFound(await getAs(url(), eve, `/api/images/${id}?download=1`), `image download ${id}`);
      await notFound(await sendAs(url(), eve, "HEAD", `/api/images/${id}`), `image HEAD ${id}`);
    }
    // Replaying the owner's own page address shows her nothing of it.
    const page = await (await getAs(url(), eve, `/?job=${legacy.jobId}`)).text();
    expect(page).toContain("That job no longer exists");
    expect(page).not.toContain("Before accounts");
    // Nothing was changed or removed by any of it.
    const job = (await (await getAs(url(), owner, `/api/jobs/${legacy.jobId}`)).json()) as { design: { headline: string }; images: { status: string }[] };
    expect(job.design.headline).toBe("Before accounts");
    expect(job.images.map((image) => image.status)).toEqual(["done"]);
  });

  it("cannot see a preview of the first workspace's run, even with its address", async () => {
    const run = rememberRun(await generate(url(), { provider: "huggingface", count: 1 }, { headers: as(owner) }));
    const previews = run.messages.filter((message) => message.event === "preview").map((message) => (JSON.parse(message.data) as { url: string }).url);
    const served = previews.filter((address) => address.startsWith("/api/previews/"));
    expect(served.length, `a preview too large to inline among ${JSON.stringify(previews.map((address) => `${address.slice(0, 30)}… (${address.length})`))} of ${run.messages.length} messages`).toBeGreaterThan(0);
    const address = served[0]!;
    expect((await getAs(url(), owner, address)).status).toBe(200);
    await remember(await getAs(url(), eve, address)).then((response) => expect(response.status).toBe(404));
    expect((await getAs(url(), undefined, address)).status).toBe(401);
  });

  it("cannot put the first workspace's logo in her own campaign", async () => {
    const response = await remember(
      await fetch(`${url()}/api/generate-images`, {
        method: "POST",
        headers: { ...sameSite(url()), cookie: eve.cookie },
        body: JSON.stringify({ productName: "Borrowed", productDescription: "A borrowed logo", targetAudience: "Anyone", style: "photographic", tone: "energetic", format: "instagram-square", count: 1, design: { ...DEFAULT_DESIGN, logoId: legacy.logoId } }),
      }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/logo/);
  });

  it("and the owner cannot reach hers either", async () => {
    expect((await getAs(url(), owner, `/api/jobs/${evesJobId}`)).status).toBe(404);
    expect((await sendAs(url(), owner, "DELETE", `/api/jobs/${evesJobId}`)).status).toBe(404);
    expect((await getAs(url(), eve, `/api/jobs/${evesJobId}`)).status).toBe(200);
  });
});

describe("personal API tokens", () => {
  let token: string;
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  async function makeToken(who: Person, name: string): Promise<{ id: string; token: string; prefix: string }> {
    // Shown once: this answer is the only one allowed to hold the token, so it is not remembered.
    const response = await sendAs(url(), who, "POST", "/api/tokens", { name });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; token: string; prefix: string };
  }

  it("are made while signed in, shown once, listed without the token, and kept only as a hash", async () => {
    const made = await makeToken(owner, "nightly batch");
    token = made.token;
    expect(token).toMatch(/^acg_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(made.prefix)).toBe(true);
    const list = await remember(await getAs(url(), owner, "/api/tokens"));
    expect(((await list.clone().json()) as { tokens: { name: string; prefix: string }[] }).tokens).toEqual([expect.objectContaining({ name: "nightly batch", prefix: made.prefix, lastUsedAt: null })]);
    const db = new Database(path.join(dataDir, "app.db"), { readonly: true });
    const stored = db.prepare(`SELECT * FROM api_tokens`).all();
    db.close();
    expect(JSON.stringify(stored)).not.toContain(token.slice(made.prefix.length));
  });

  it("let a script read, start and download the workspace's runs, like the person who made them", async () => {
    const list = (await (await remember(await getAs(url(), undefined, "/api/jobs", bearer(token)))).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((job) => job.id)).toContain(legacy.jobId);
    const run = rememberRun(await generate(url(), { count: 1 }, { headers: bearer(token) }));
    expect(run.of("done")[0]).toMatchObject({ succeeded: 1 });
    const zip = await getAs(url(), undefined, `/api/jobs/${run.of("start")[0]!.jobId}/download`, bearer(token));
    expect(zip.status).toBe(200);
    await zip.arrayBuffer();
    expect((await getAs(url(), undefined, `/api/images/${legacy.compositeId}`, bearer(token))).status).toBe(200);
    // A token cannot mint more tokens.
    expect((await remember(await sendAs(url(), undefined, "POST", "/api/tokens", { name: "more" }, bearer(token)))).status).toBe(403);
  });

  it("count the runs they start: over TOKEN_RUNS_PER_MINUTE a token gets 429, another token has its own budget", async () => {
    const limited = await makeToken(owner, "busy loop");
    for (let i = 0; i < 3; i++) expect((await generate(url(), { count: 1 }, { headers: bearer(limited.token) })).of("done")[0]).toMatchObject({ succeeded: 1 });
    const refused = await remember(await sendAs(url(), undefined, "POST", "/api/generate-images", { ...BRIEF, count: 1 }, bearer(limited.token)));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: string }).error).toMatch(/with this token: at most 3 per minute/);
    expect((await generate(url(), { count: 1 }, { headers: bearer(token) })).of("done")[0]).toMatchObject({ succeeded: 1 });
  });

  it("of another workspace reach nothing of this one", async () => {
    const eves = await makeToken(eve, "eve's script");
    expect((await getAs(url(), undefined, `/api/jobs/${legacy.jobId}`, bearer(eves.token))).status).toBe(404);
    expect((await getAs(url(), undefined, `/api/images/${legacy.compositeId}`, bearer(eves.token))).status).toBe(404);
    expect((await sendAs(url(), undefined, "DELETE", `/api/jobs/${legacy.jobId}`, undefined, bearer(eves.token))).status).toBe(404);
    // Revoking is for one's own tokens only.
    const mine = (await (await getAs(url(), owner, "/api/tokens")).json()) as { tokens: { id: string }[] };
    expect((await sendAs(url(), undefined, "DELETE", `/api/tokens/${mine.tokens[0]!.id}`, undefined, bearer(eves.token))).status).toBe(404);
  });

  it("fail at once when revoked, when made up, or when their owner leaves the workspace", async () => {
    const id = ((await (await getAs(url(), owner, "/api/tokens")).json()) as { tokens: { id: string; name: string }[] }).tokens.find((row) => row.name === "nightly batch")!.id;
    expect((await sendAs(url(), owner, "DELETE", `/api/tokens/${id}`)).status).toBe(204);
    const revoked = await remember(await getAs(url(), undefined, "/api/jobs", bearer(token)));
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: string }).error).toMatch(/revoked/);
    expect((await getAs(url(), undefined, "/api/jobs", bearer(`acg_${"x".repeat(43)}`))).status).toBe(401);
    expect((await getAs(url(), undefined, "/api/jobs", bearer("not-a-token"))).status).toBe(401);

    const carolInvitation = await invite(url(), owner, "carol@example.com");
    const carol = await signUp(url(), { name: "Carol Contractor", email: "carol@example.com" });
    expect((await acceptInvitation(url(), carol, carolInvitation)).status).toBe(200);
    const carols = await makeToken(carol, "carol's laptop");
    expect((await getAs(url(), undefined, "/api/jobs", bearer(carols.token))).status).toBe(200);
    const members = (await (await getAs(url(), owner, "/api/auth/organization/list-members")).json()) as { members: { id: string; user: { email: string } }[] };
    const carolMember = members.members.find((member) => member.user.email === "carol@example.com")!;
    expect((await authPost(url(), "/organization/remove-member", { memberIdOrEmail: carolMember.id }, owner.cookie)).status).toBe(200);
    expect((await getAs(url(), undefined, "/api/jobs", bearer(carols.token))).status).toBe(401);
  });
});

describe("password reset links (no mail server: shown to pass on)", () => {
  let dave: Person;
  let daveMemberId: string;

  beforeAll(async () => {
    const invitation = await invite(url(), owner, "dave@example.com");
    dave = await signUp(url(), { name: "Dave Designer", email: "dave@example.com" });
    expect((await acceptInvitation(url(), dave, invitation)).status).toBe(200);
    const members = (await (await getAs(url(), owner, "/api/auth/organization/list-members")).json()) as { members: { id: string; user: { email: string } }[] };
    daveMemberId = members.members.find((member) => member.user.email === "dave@example.com")!.id;
  });

  it("are made by the owner for a member, work once, and sign the member out everywhere", async () => {
    // Nobody can ask better-auth for a reset of any address: no mail would reach them, and the token would be lost.
    expect((await remember(await authPost(url(), "/request-password-reset", { email: "dave@example.com" }))).status).toBe(404);
    const made = await remember(await sendAs(url(), owner, "POST", "/api/password-resets", { memberId: daveMemberId }));
    expect(made.status, await made.clone().text()).toBe(201);
    const { path: link, email } = (await made.json()) as { path: string; email: string };
    expect(email).toBe("dave@example.com");
    expect(link).toMatch(/^\/reset-password\?token=[A-Za-z0-9_-]+$/);
    expect(await (await getAs(url(), undefined, link)).text()).toContain("Choose a new password");
    const token = new URL(link, url()).searchParams.get("token")!;

    expect((await getAs(url(), dave, "/api/jobs")).status).toBe(200);
    expect((await authPost(url(), "/reset-password", { newPassword: "a brand new passphrase", token })).status).toBe(200);
    expect((await getAs(url(), dave, "/api/jobs")).status).toBe(401);
    expect((await authPost(url(), "/reset-password", { newPassword: "yet another passphrase", token })).status).toBe(400);
    dave = await signIn(url(), "dave@example.com", "a brand new passphrase");
    expect((await getAs(url(), dave, "/api/jobs")).status).toBe(200);
  });

  it("are refused to members, to other workspaces, for oneself, and with a token", async () => {
    const refused = async (who: Person | undefined, memberId: string, status: number, headers: Record<string, string> = {}) => {
      const response = await remember(await sendAs(url(), who, "POST", "/api/password-resets", { memberId }, headers));
      expect(response.status, `${who?.email} → ${memberId}`).toBe(status);
    };
    const ownerMemberId = ((await (await getAs(url(), owner, "/api/auth/organization/list-members")).json()) as { members: { id: string; user: { email: string } }[] }).members.find((m) => m.user.email === "olivia@example.com")!.id;
    await refused(dave, ownerMemberId, 403);
    await refused(eve, daveMemberId, 404);
    await refused(owner, ownerMemberId, 403);
    const scripted = ((await (await sendAs(url(), owner, "POST", "/api/tokens", { name: "reset attempt" })).json()) as { token: string }).token;
    await refused(undefined, daveMemberId, 403, { authorization: `Bearer ${scripted}` });
    await refused(undefined, daveMemberId, 401);
  });

  it("are printed for any account by the operator's npm run reset-password", async () => {
    const command = spawn("npm", ["run", "--silent", "reset-password", "--", "dave@example.com"], { cwd: REPO_ROOT, env: cleanEnv({ DATA_DIR: dataDir, AUTH_SECRET }) as unknown as NodeJS.ProcessEnv });
    let output = "";
    command.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    command.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => command.once("exit", resolve));
    expect(code, output).toBe(0);
    const token = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(output)?.[1];
    expect(token).toBeTruthy();
    expect((await authPost(url(), "/reset-password", { newPassword: "the operator's choice", token })).status).toBe(200);
  });
});

describe("a person in two workspaces", () => {
  it("works in the one they choose, and sees only that one's campaigns", async () => {
    expect((await acceptInvitation(url(), eve, await invite(url(), owner, "eve@example.com"))).status).toBe(200);
    const workspaces = (await (await getAs(url(), eve, "/api/auth/organization/list")).json()) as { id: string; name: string }[];
    expect(workspaces.map((workspace) => workspace.name).sort()).toEqual(["Eve's workspace", "Olivia's workspace"]);
    const jobIdsIn = async (name: string) => {
      const target = workspaces.find((workspace) => workspace.name === name)!;
      expect((await authPost(url(), "/organization/set-active", { organizationId: target.id }, eve.cookie)).status).toBe(200);
      return ((await (await getAs(url(), eve, "/api/jobs")).json()) as { jobs: { id: string }[] }).jobs.map((job) => job.id);
    };
    const inOlivias = await jobIdsIn("Olivia's workspace");
    expect(inOlivias).toContain(legacy.jobId);
    expect(inOlivias).not.toContain(evesJobId);
    expect(await jobIdsIn("Eve's workspace")).toEqual([evesJobId]);
    // The Workspace page offers the other one.
    expect(await (await getAs(url(), eve, "/workspace")).text()).toContain("Switch to Olivia&#x27;s workspace");
    // A workspace one is not in cannot be chosen.
    const strangers = await signUp(url(), { name: "Frank Outsider", email: "frank@example.com" });
    const franks = ((await (await getAs(url(), strangers, "/api/auth/organization/list")).json()) as { id: string }[])[0]!;
    expect((await authPost(url(), "/organization/set-active", { organizationId: franks.id }, eve.cookie)).status).toBe(403);
    expect(((await (await getAs(url(), eve, "/api/jobs")).json()) as { jobs: { id: string }[] }).jobs.map((job) => job.id)).toEqual([evesJobId]);
  });
});

describe("login throttling", () => {
  it("after 5 sign-ins from one address in a minute, the next ones are refused with 429, even with the right password", async () => {
    const attempt = (password: string) => authPost(url(), "/sign-in/email", { email: "olivia@example.com", password });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await remember(await attempt(`wrong password ${i}`))).status);
    const refused = statuses.indexOf(429);
    expect(refused, JSON.stringify(statuses)).toBeGreaterThan(0);
    expect(statuses.slice(0, refused).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(refused).every((status) => status === 429)).toBe(true);
    // The window also holds this suite's sign-ins of the last minute (kept in the database, so a
    // restart does not reset them): at most the limit gets through, counting the owner's at the restart.
    expect(1 + refused).toBeLessThanOrEqual(SIGN_IN_ATTEMPTS_PER_MINUTE);
    const throttled = await remember(await attempt(owner.password));
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as { message: string }).message).toMatch(/Too many/);
  });
});

describe("afterwards", () => {
  it("no response carried the auth secret, a password, or a password's hash", () => {
    const db = new Database(path.join(dataDir, "app.db"), { readonly: true });
    const hashes = (db.prepare(`SELECT password FROM account WHERE password IS NOT NULL`).all() as { password: string }[]).map((row) => row.password);
    db.close();
    expect(hashes.length).toBeGreaterThanOrEqual(3);
    const everything = seen.join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    const tokenHashes = (new Database(path.join(dataDir, "app.db"), { readonly: true }).prepare(`SELECT token_hash FROM api_tokens`).all() as { token_hash: string }[]).map((row) => row.token_hash);
    for (const secret of [AUTH_SECRET, "correct horse battery", "a brand new passphrase", ...hashes, ...tokenHashes]) expect(everything).not.toContain(secret);
    expect(app!.logs()).not.toContain(AUTH_SECRET);
  });
});

describe("binding beyond loopback", () => {
  it("refuses to start with AUTH=off on 0.0.0.0, saying what that would expose and how to go on", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts", "start.mjs"), "-p", String(port), "-H", "0.0.0.0"], {
      cwd: REPO_ROOT,
      env: cleanEnv({ AUTH: "off", DATA_DIR: makeTempDir("acg-open-") }) as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      child.once("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(1);
    expect(output).toContain("Refusing to serve 0.0.0.0 with AUTH=off");
    expect(output).toContain("ALLOW_UNAUTHENTICATED=true");
  });
});
