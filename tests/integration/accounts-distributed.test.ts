import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, authPost, getAs, invite, sendAs, signIn, signUp, type Person } from "../support/accounts-client";
import { startCluster, type Cluster } from "../support/distributed-cluster";
import { BRIEF, generate } from "../support/generation-client";

/**
 * Accounts on Postgres: two web instances and a worker of the distributed mode, with AUTH=on.
 * A session made on one instance is good on the other, workspaces keep apart what the worker
 * made (images in the bucket included), and login throttling counts across instances.
 */

let cluster: Cluster;
let a: string;
let b: string;
let owner: Person;
let ownersJob: { id: string; imageIds: string[] };

beforeAll(async () => {
  cluster = await startCluster({ webs: 2, workers: 1, env: { AUTH: "on", SIGN_UP: "open", AUTH_SECRET: randomBytes(32).toString("base64url"), TOKEN_RUNS_PER_MINUTE: "3" } });
  [a, b] = cluster.webs.map((web) => web.url) as [string, string];
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("accounts on Postgres, across web instances", () => {
  it("a session made on one instance is good on the other; a run started there is made by the worker", async () => {
    owner = await signUp(a, { name: "Olivia Owner", email: "olivia@example.com" });
    expect((await getAs(b, owner, "/api/jobs")).status).toBe(200);
    const run = await generate(b, { count: 2 }, { headers: { cookie: owner.cookie, origin: b } });
    expect(run.of("done")[0]).toMatchObject({ succeeded: 2 });
    const job = (await (await getAs(a, owner, `/api/jobs/${run.of("start")[0]!.jobId}`)).json()) as { id: string; images: { url: string; rawUrl: string }[] };
    ownersJob = { id: job.id, imageIds: job.images.flatMap((image) => [image.url, image.rawUrl].map((address) => address.split("/").pop()!)) };
    for (const id of ownersJob.imageIds) expect((await getAs(a, owner, `/api/images/${id}`)).status).toBe(200);
  });

  it("a member invited on one instance joins on the other and sees the workspace's campaigns", async () => {
    const invitationId = await invite(a, owner, "bob@example.com");
    const bob = await signUp(b, { name: "Bob Member", email: "bob@example.com" });
    expect((await acceptInvitation(b, bob, invitationId)).status).toBe(200);
    const list = (await (await getAs(a, bob, "/api/jobs")).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((job) => job.id)).toEqual([ownersJob.id]);
  });

  it("a stranger's own workspace reaches nothing of the first, on either instance", async () => {
    const eve = await signUp(b, { name: "Eve Stranger", email: "eve@example.com" });
    for (const web of [a, b]) {
      expect(((await (await getAs(web, eve, "/api/jobs")).json()) as { jobs: unknown[] }).jobs).toEqual([]);
      expect((await getAs(web, eve, `/api/jobs/${ownersJob.id}`)).status).toBe(404);
      expect((await getAs(web, eve, `/api/jobs/${ownersJob.id}/events`)).status).toBe(404);
      expect((await getAs(web, eve, `/api/jobs/${ownersJob.id}/download`)).status).toBe(404);
      expect((await sendAs(web, eve, "DELETE", `/api/jobs/${ownersJob.id}`)).status).toBe(404);
      for (const id of ownersJob.imageIds) expect((await getAs(web, eve, `/api/images/${id}`)).status).toBe(404);
    }
    expect((await getAs(a, owner, `/api/jobs/${ownersJob.id}`)).status).toBe(200);
  });

  it("a token's runs are counted across instances: spreading them over both does not double its limit", async () => {
    const token = ((await (await sendAs(a, owner, "POST", "/api/tokens", { name: "batch" })).json()) as { token: string }).token;
    const bearer = { authorization: `Bearer ${token}` };
    for (const web of [a, b, a]) expect((await generate(web, { count: 1 }, { headers: bearer })).of("done")[0]).toMatchObject({ succeeded: 1 });
    const refused = await sendAs(b, undefined, "POST", "/api/generate-images", { ...BRIEF, count: 1 }, bearer);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: string }).error).toMatch(/with this token: at most 3 per minute/);
  });

  it("failed sign-ins are counted across instances: alternating between them does not escape the limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await authPost(i % 2 === 0 ? a : b, "/sign-in/email", { email: "olivia@example.com", password: `wrong ${i}` })).status);
    const refused = statuses.indexOf(429);
    expect(refused, JSON.stringify(statuses)).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(5);
    expect(statuses.slice(refused).every((status) => status === 429)).toBe(true);
    // And the owner, who knows the password, waits like everyone else from this address.
    await expect(signIn(a, "olivia@example.com", owner.password)).rejects.toThrow(/429/);
  });

  it("nothing tried to leave loopback", () => {
    expect(cluster.outboundAttempts()).toEqual([]);
  });
});
