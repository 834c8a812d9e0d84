import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { getAs, sendAs, signUp, type Person } from "../support/accounts-client";
import { makeTempDir, REPO_ROOT, startApp, type AppServer } from "../support/app-server";
import { fakeImage } from "../support/fakes/fake-image";
import { BRIEF, generate } from "../support/generation-client";

/**
 * GET /api/openapi.json against the built app: a valid OpenAPI 3.1 document that names every
 * route the app has, and whose schemas the app's real answers (JSON bodies and each event of a
 * run's stream) satisfy.
 */

type Document = { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, object> } };

let app: AppServer;
let dataDir: string;
let document: Document;
let token: string;
let owner: Person;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  dataDir = makeTempDir("acg-openapi-");
  // Hugging Face configured, and every provider listing asks for at a closed port: the answers an
  // outage gives are documented too.
  const nowhere = NOWHERE;
  app = await startApp({
    DATA_DIR: dataDir,
    AUTH: "on",
    AUTH_SECRET: "openapi-test-secret-0123456789abcdef",
    HF_TOKEN: "hf_openapiTestToken",
    HF_HUB_URL: nowhere,
    HF_ROUTER_URL: nowhere,
    POLLINATIONS_BASE_URL: nowhere,
    POLLINATIONS_LEGACY_URL: nowhere,
  });
  owner = await signUp(app.url, { name: "Olivia Owner", email: "olivia@example.com" });
  token = ((await (await sendAs(app.url, owner, "POST", "/api/tokens", { name: "openapi test" })).json()) as { token: string }).token;
  const response = await fetch(`${app.url}/api/openapi.json`, { signal: AbortSignal.timeout(15_000) });
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
  for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
}, 120_000);

appSuiteHooks(() => ({ app, dataDir }));

/**
 * What an unreachable provider looks like, without leaving the machine: port 1 on loopback, where
 * nothing listens (a port picked free at random could be handed to the app itself a moment later).
 */
const NOWHERE = "http://127.0.0.1:1";

function conforms(schemaName: string, value: unknown): void {
  const check = ajv.getSchema(`#/components/schemas/${schemaName}`)!;
  expect(check(value), `${schemaName}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value).slice(0, 400)}`).toBe(true);
}

/** Every route handler of the app, as "METHOD /path/{param}" (HEAD goes with GET). */
function routesOfTheApp(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = "/" + path.relative(path.join(REPO_ROOT, "app"), dir).split(path.sep).join("/").replace(/\[([^\]]+)\]/g, "{$1}");
        for (const [, method] of readFileSync(full, "utf8").matchAll(/export (?:async )?function (GET|POST|PATCH|PUT|DELETE)\b/g)) found.push(`${method} ${route}`);
      }
    }
  };
  walk(path.join(REPO_ROOT, "app", "api"));
  return found.sort();
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, served without credentials", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it("names every route the app has (better-auth's own /api/auth and the document itself aside)", () => {
    const documented = Object.entries(document.paths).flatMap(([route, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`));
    const routes = routesOfTheApp().filter((route) => !route.includes("/api/auth/") && !route.endsWith("/api/openapi.json"));
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !routes.includes(route))).toEqual([]);
  });

  it("describes what the app really answers: every event of a run, the job, the history, an error, a new token", async () => {
    const run = await generate(app.url, { count: 2, provider: "builtin" }, { headers: { authorization: `Bearer ${token}` } });
    const schemaOfEvent = { start: "StartEvent", progress: "ProgressEvent", preview: "PreviewEvent", image: "ImageEvent", error: "ErrorEvent", done: "DoneEvent" } as const;
    const seen = new Set<string>();
    for (const message of run.messages) {
      const name = message.event as keyof typeof schemaOfEvent;
      expect(Object.keys(schemaOfEvent)).toContain(name);
      conforms(schemaOfEvent[name], JSON.parse(message.data));
      seen.add(name);
    }
    expect([...seen]).toEqual(expect.arrayContaining(["start", "progress", "image", "done"]));

    const jobId = run.of("start")[0]!.jobId;
    conforms("Job", await (await getAs(app.url, undefined, `/api/jobs/${jobId}`, { authorization: `Bearer ${token}` })).json());
    conforms("JobList", await (await getAs(app.url, undefined, "/api/jobs", { authorization: `Bearer ${token}` })).json());
    const bad = await sendAs(app.url, undefined, "POST", "/api/generate-images", { ...BRIEF, count: 99 }, { authorization: `Bearer ${token}` });
    expect(bad.status).toBe(400);
    conforms("Error", await bad.json());
    conforms("GenerateRequest", { ...BRIEF, count: 2 });
    // What the app refuses, the document refuses too.
    expect(ajv.getSchema("#/components/schemas/GenerateRequest")!({ ...BRIEF, count: 99 })).toBe(false);
  });

  it("declares every status the app answers, each route's malformed ids, wrong bodies and outages included, and a schema for every JSON body (#21.10)", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const run = await generate(app.url, { count: 1, provider: "builtin" }, { headers: auth });
    const job = run.of("start")[0]!.jobId;
    const seen: string[] = [];

    /** The answer is declared for this route and method, and a JSON body satisfies the schema declared for it. */
    async function declared(method: string, route: string, response: Response): Promise<void> {
      const operation = document.paths[route]?.[method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> } | undefined;
      const what = `${method} ${route} → ${response.status}`;
      seen.push(what);
      expect(operation, `${method} ${route} is in the document`).toBeDefined();
      const documented = operation!.responses[String(response.status)];
      expect(documented, `${what} is declared (declared: ${Object.keys(operation!.responses).join(", ")}) ${response.status >= 400 ? await response.clone().text() : ""}`).toBeDefined();
      if (!response.headers.get("content-type")?.includes("application/json")) return;
      const reference = documented!.content?.["application/json"]?.schema?.$ref;
      expect(reference, `${what}: a JSON body has a schema`).toMatch(/^#\/components\/schemas\//);
      conforms(reference!.split("/").pop()!, await response.json());
    }
    const call = (method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) => sendAs(app.url, undefined, method, path, body, { ...auth, ...headers });
    const get = (path: string) => getAs(app.url, undefined, path, auth);

    // Malformed ids on every route with an id in its path (and better-auth's own aside).
    const withIds = Object.entries(document.paths).filter(([route]) => route.includes("{id}"));
    expect(withIds.length).toBeGreaterThanOrEqual(9);
    for (const [route, operations] of withIds) {
      for (const method of Object.keys(operations)) {
        for (const id of ["%zz", "short"]) {
          const path = route.replace("{id}", id).replace("{index}", "0");
          const response = method === "get" ? await get(path) : await call(method.toUpperCase(), path, JSON.stringify({}), { "content-type": "application/json" });
          await declared(method.toUpperCase(), route, response);
        }
      }
    }

    // Bodies of the wrong type, too large, or not images.
    const text = { "content-type": "text/plain" };
    await declared("POST", "/api/generate-images", await call("POST", "/api/generate-images", "hello", text));
    await declared("POST", "/api/generate-images", await call("POST", "/api/generate-images", JSON.stringify({ ...BRIEF, productDescription: "x".repeat(1024 * 1024) })));
    await declared("POST", "/api/jobs/{id}/images", await call("POST", `/api/jobs/${job}/images`, "hello", text));
    await declared("PATCH", "/api/jobs/{id}/design", await call("PATCH", `/api/jobs/${job}/design`, "hello", text));
    await declared("PATCH", "/api/jobs/{id}/images/{index}", await call("PATCH", `/api/jobs/${job}/images/0`, "hello", text));
    await declared("POST", "/api/logos", await call("POST", "/api/logos", "not an image", { "content-type": "application/octet-stream" }));
    await declared("POST", "/api/products", await call("POST", "/api/products", "not an image", { "content-type": "application/octet-stream" }));

    // A provider whose catalogue cannot be reached: the run is refused with 502, the check answers what it found.
    await declared("POST", "/api/generate-images", await call("POST", "/api/generate-images", JSON.stringify({ ...BRIEF, count: 1, provider: "huggingface" })));
    await declared("POST", "/api/providers/{id}/check", await call("POST", "/api/providers/huggingface/check"));
    await declared("POST", "/api/providers/{id}/check", await call("POST", "/api/providers/builtin/check"));
    await declared("POST", "/api/providers/{id}/check", await call("POST", "/api/providers/nobody/check"));

    // What works, with the body it has.
    await declared("GET", "/api/providers", await get("/api/providers"));
    await declared("GET", "/api/tokens", await getAs(app.url, owner, "/api/tokens"));
    const logo = new Uint8Array(await fakeImage(120, 60, "png", 1));
    const uploadedLogo = await call("POST", "/api/logos", logo, { "content-type": "image/png" });
    const { logoId } = (await uploadedLogo.clone().json()) as { logoId: string };
    await declared("POST", "/api/logos", uploadedLogo);
    await declared("POST", "/api/products", await call("POST", "/api/products", new Uint8Array(await fakeImage(300, 300, "png", 2)), { "content-type": "image/png" }));
    await declared("PATCH", "/api/jobs/{id}/design", await call("PATCH", `/api/jobs/${job}/design`, JSON.stringify({ design: { headline: "Documented", logoId } })));
    await declared("PATCH", "/api/jobs/{id}/images/{index}", await call("PATCH", `/api/jobs/${job}/images/0`, JSON.stringify({ layout: "split" })));
    await declared("POST", "/api/jobs/{id}/cancel", await call("POST", `/api/jobs/${job}/cancel`));

    // Brand kits: saved, listed, refused, deleted, and another's id not found.
    const kit = { name: "Aurora", brandName: "Aurora", primaryColor: "#1F2A44", secondaryColor: "#F2B84B", logoId, productId: null, brief: { productName: BRIEF.productName, productDescription: BRIEF.productDescription, targetAudience: BRIEF.targetAudience, style: BRIEF.style, tone: BRIEF.tone } };
    const savedKit = await call("POST", "/api/brand-kits", JSON.stringify(kit));
    const { id: kitId } = (await savedKit.clone().json()) as { id: string };
    await declared("POST", "/api/brand-kits", savedKit);
    await declared("POST", "/api/brand-kits", await call("POST", "/api/brand-kits", JSON.stringify({ ...kit, primaryColor: "navy" })));
    await declared("POST", "/api/brand-kits", await call("POST", "/api/brand-kits", JSON.stringify({ ...kit, logoId: `${"f".repeat(32)}.png` })));
    const listedKits = await get("/api/brand-kits");
    expect(((await listedKits.clone().json()) as { kits: { name: string; logoId: string }[] }).kits).toEqual([expect.objectContaining({ name: "Aurora", logoId })]);
    await declared("GET", "/api/brand-kits", listedKits);
    await declared("DELETE", "/api/brand-kits/{id}", await call("DELETE", `/api/brand-kits/${kitId}`));
    await declared("DELETE", "/api/brand-kits/{id}", await call("DELETE", `/api/brand-kits/${kitId}`));

    // The copy writer: the offline one writes, a bad request is refused, an unreachable Hugging Face is a 502.
    const copyRequest = { brief: { productName: BRIEF.productName, productDescription: BRIEF.productDescription, targetAudience: BRIEF.targetAudience, style: BRIEF.style, tone: BRIEF.tone }, brandName: "Aurora", formats: ["story"] };
    await declared("GET", "/api/copy", await get("/api/copy"));
    await declared("POST", "/api/copy", await call("POST", "/api/copy", JSON.stringify({ ...copyRequest, writer: "offline" })));
    await declared("POST", "/api/copy", await call("POST", "/api/copy", JSON.stringify({ ...copyRequest, formats: [] })));
    await declared("POST", "/api/copy", await call("POST", "/api/copy", JSON.stringify({ ...copyRequest, writer: "openai" })));
    await declared("POST", "/api/copy", await call("POST", "/api/copy", JSON.stringify({ ...copyRequest, writer: "huggingface" })));

    const statuses = new Set(seen.map((line) => line.split(" → ")[1]));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["200", "201", "400", "404", "413", "415", "502"]));
  });

  it("is rendered for people at /api-docs", async () => {
    const page = await (await fetch(`${app.url}/api-docs`)).text();
    expect(page).toContain("API reference");
    expect(page).toContain("/api/generate-images");
    expect(page).toContain("Last-Event-ID");
  });
});
