import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { getAs, sendAs, signUp } from "../support/accounts-client";
import { makeTempDir, REPO_ROOT, startApp, type AppServer } from "../support/app-server";
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
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  dataDir = makeTempDir("acg-openapi-");
  app = await startApp({ DATA_DIR: dataDir, AUTH: "on", AUTH_SECRET: "openapi-test-secret-0123456789abcdef" });
  const owner = await signUp(app.url, { name: "Olivia Owner", email: "olivia@example.com" });
  token = ((await (await sendAs(app.url, owner, "POST", "/api/tokens", { name: "openapi test" })).json()) as { token: string }).token;
  const response = await fetch(`${app.url}/api/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
  for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
}, 60_000);

appSuiteHooks(() => ({ app, dataDir }));

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
    const run = await generate(app.url, { count: 2 }, { headers: { authorization: `Bearer ${token}` } });
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

  it("is rendered for people at /api-docs", async () => {
    const page = await (await fetch(`${app.url}/api-docs`)).text();
    expect(page).toContain("API reference");
    expect(page).toContain("/api/generate-images");
    expect(page).toContain("Last-Event-ID");
  });
});
