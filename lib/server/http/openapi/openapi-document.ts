import "server-only";
import { z } from "zod";
import { cancelAnswerSchema, designEditSchema, layoutEditSchema, providerCheckSchema, providerListSchema, uploadedLogoSchema, uploadedProductSchema } from "@/lib/api-answers";
import { apiErrorSchema, jobListSchema, publicJobSchema } from "@/lib/job-views";
import { apiTokenListSchema, createdApiTokenSchema, apiTokenViewSchema, newApiTokenSchema } from "@/lib/api-tokens";
import { generateRequestSchema } from "@/lib/campaign";
import { brandKitInputSchema, brandKitListSchema, brandKitSchema } from "@/lib/brand-kits";
import { copyWritersAnswerSchema, writeCopyAnswerSchema, writeCopyRequestSchema } from "@/lib/copy-writing";
import { newPasswordResetSchema, passwordResetLinkSchema } from "@/lib/password-resets";
import { STREAM_EVENT_TYPES } from "@/lib/events";
import { designPatchSchema, layoutPatchSchema, rerunRequestSchema } from "../../jobs/job-requests";

/**
 * The OpenAPI 3.1 document of the API, made from the zod schemas the routes validate with and
 * answer by (requests, responses, and each server-sent event's payload), so it cannot drift
 * from the code. Served at /api/openapi.json and rendered at /api-docs.
 */

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as requests are sent (`input`) or answers read (`output`). */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // OpenAPI 3.1 already speaks draft 2020-12; the $schema line would only repeat it.
  const converted = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const error = (description: string) => ({ description, content: json("Error") });
const answer = (description: string, name: string) => ({ description, content: json(name) });

/** Every logged event has an `id:` (resume after it with Last-Event-ID); `preview` never has one. */
export const STREAM_EVENTS = Object.fromEntries(
  STREAM_EVENT_TYPES.map((event) => [event.name, { schema: `${event.name.charAt(0).toUpperCase()}${event.name.slice(1)}Event`, logged: event.logged, what: event.what }]),
) as Record<(typeof STREAM_EVENT_TYPES)[number]["name"], { schema: string; logged: boolean; what: string }>;

const STREAM_DESCRIPTION = [
  "A server-sent event stream (`text/event-stream`). Each message is `event: <name>` and one `data:` line of JSON;",
  "logged events carry `id: <n>`: reconnect with `Last-Event-ID: <n>` (or `?lastEventId=`) to get exactly what came after.",
  "A `: ping` comment keeps the connection alive. Events:",
  ...Object.entries(STREAM_EVENTS).map(([name, event]) => `- \`${name}\` (${event.schema}${event.logged ? "" : ", no id"}): ${event.what}`),
].join("\n");

const stream = {
  description: STREAM_DESCRIPTION,
  content: { "text/event-stream": { schema: { type: "string", description: "SSE frames; each `data` is one of the event schemas" }, "x-events": Object.fromEntries(Object.entries(STREAM_EVENTS).map(([name, event]) => [name, ref(event.schema)])) } },
  headers: { "Cache-Control": { schema: { type: "string" }, description: "no-cache, no-transform" } },
};

const jobId = { name: "id", in: "path", required: true, description: "The job's id (16 letters, digits, - or _).", schema: { type: "string", pattern: "^[A-Za-z0-9_-]{16}$" } };
const imageIndex = { name: "index", in: "path", required: true, description: "The creative's slot, from 0.", schema: { type: "integer", minimum: 0, maximum: 63 } };
const lastEventId = { name: "Last-Event-ID", in: "header", required: false, description: "Replay only what came after this event id.", schema: { type: "integer", minimum: 0 } };
const notFound = error("No such job in your workspace (another workspace's id answers the same).");
/** What any route may answer before its handler runs, or whatever its body. */
const COMMON = {
  badPath: error("A malformed id in the path: not of the id's form, or broken percent-encoding (`%zz`)."),
  forbidden: error("Refused before anything was read or done: a state-changing request from another site's page, a `Host` this server does not answer to (accounts off: only loopback names and addresses, or APP_URL's), or an account in no workspace."),
  notJson: error("The body was not sent as `Content-Type: application/json`."),
  tooLarge: error("The body is larger than this route takes."),
  diskFull: error("The disk is full: nothing was saved."),
};
const unauthorized = error("Not signed in, or the API token is revoked or unknown.");
const zip = { description: "A zip, streamed as it is written.", content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } } };
const image = { description: "The stored file (PNG, JPEG or WebP); `ETag` is its id, byte ranges are served.", content: { "image/*": { schema: { type: "string", contentMediaType: "image/*" } } } };

export function openApiDocument(options: { version: string; auth: boolean }) {
  const secured = options.auth ? [{ bearerToken: [] }, { sessionCookie: [] }] : [];
  type OperationSpec = { parameters?: { in: string; [more: string]: unknown }[]; requestBody?: { content: Record<string, unknown>; [more: string]: unknown }; responses: Record<string, unknown>; [more: string]: unknown };
  const operation = (summary: string, spec: OperationSpec) => {
    const responses: Record<string, unknown> = { ...spec.responses, "403": spec.responses["403"] ?? COMMON.forbidden };
    if (spec.parameters?.some((parameter) => parameter.in === "path")) responses["400"] ??= COMMON.badPath;
    if (spec.requestBody?.content["application/json"]) {
      responses["413"] ??= COMMON.tooLarge;
      responses["415"] ??= COMMON.notJson;
    }
    if (options.auth) responses["401"] = unauthorized;
    return { summary, security: secured, ...spec, responses };
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Ad Creative Generator API",
      version: options.version,
      description:
        "Start runs that turn a campaign brief into finished ad creatives, follow them as server-sent events, and fetch the results. " +
        (options.auth
          ? "Send a personal API token (made on the Workspace page) as `Authorization: Bearer acg_…`; everything is scoped to the token's workspace, and another workspace's ids answer 404."
          : "This server runs with AUTH=off: no credentials are needed."),
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "A personal API token: `acg_` and 43 more characters." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "acg.session_token", description: "The browser's session, set by signing in at /sign-in." },
      },
      schemas: {
        GenerateRequest: schemaOf(generateRequestSchema, "input"),
        WriteCopyRequest: schemaOf(writeCopyRequestSchema, "input"),
        WrittenCopy: schemaOf(writeCopyAnswerSchema, "output"),
        CopyWriterList: schemaOf(copyWritersAnswerSchema, "output"),
        BrandKitInput: schemaOf(brandKitInputSchema, "input"),
        BrandKit: schemaOf(brandKitSchema, "output"),
        BrandKitList: schemaOf(brandKitListSchema, "output"),
        RerunRequest: schemaOf(rerunRequestSchema, "input"),
        DesignPatch: schemaOf(designPatchSchema, "input"),
        DesignEdit: schemaOf(designEditSchema, "output"),
        LayoutEdit: schemaOf(layoutEditSchema, "output"),
        CancelAnswer: schemaOf(cancelAnswerSchema, "output"),
        ProviderList: schemaOf(providerListSchema, "output"),
        ProviderCheck: schemaOf(providerCheckSchema, "output"),
        UploadedLogo: schemaOf(uploadedLogoSchema, "output"),
        UploadedProduct: schemaOf(uploadedProductSchema, "output"),
        LayoutPatch: schemaOf(layoutPatchSchema, "input"),
        NewApiToken: schemaOf(newApiTokenSchema, "input"),
        ApiToken: schemaOf(apiTokenViewSchema, "output"),
        ApiTokenList: schemaOf(apiTokenListSchema, "output"),
        CreatedApiToken: schemaOf(createdApiTokenSchema, "output"),
        NewPasswordReset: schemaOf(newPasswordResetSchema, "input"),
        PasswordResetLink: schemaOf(passwordResetLinkSchema, "output"),
        Job: schemaOf(publicJobSchema, "output"),
        JobList: schemaOf(jobListSchema, "output"),
        Error: schemaOf(apiErrorSchema, "output"),
        ...Object.fromEntries(STREAM_EVENT_TYPES.map((event) => [STREAM_EVENTS[event.name].schema, schemaOf(event.schema, "output")])),
      },
    },
    paths: {
      "/api/generate-images": {
        post: operation("Start a run and stream it", {
          description: "Validates the brief, saves a new job, and answers with its event stream from the first event. The run goes on if the client goes away (until no one has watched it for JOB_ORPHAN_GRACE_MS).",
          requestBody: { required: true, content: json("GenerateRequest") },
          responses: {
            "200": stream,
            "400": error("The brief is not valid: `issues` names each field to fix."),
            "413": error("The body is larger than 32 KB."),
            "429": error("Too many runs started this minute (per token, or per address)."),
            "502": error("The provider's catalogue could not be asked which routes serve the model (the Hugging Face Hub unreachable): try again."),
            "503": error("The server is restarting: try again in a few seconds."),
            "507": COMMON.diskFull,
          },
        }),
      },
      "/api/jobs": {
        get: operation("List the workspace's jobs, newest first", {
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
            { name: "cursor", in: "query", description: "The previous page's nextCursor.", schema: { type: "string" } },
          ],
          responses: { "200": { description: "A page of jobs.", content: json("JobList") }, "400": error("limit or cursor is not valid.") },
        }),
      },
      "/api/jobs/{id}": {
        get: operation("A job with every creative", { parameters: [jobId], responses: { "200": { description: "The job.", content: json("Job") }, "404": notFound } }),
        delete: operation("Delete a job (stopping it first) with its files", { parameters: [jobId], responses: { "204": { description: "Deleted." }, "404": notFound } }),
      },
      "/api/jobs/{id}/events": {
        get: operation("Follow a job: replay its log, then live events while it runs", { parameters: [jobId, lastEventId], responses: { "200": stream, "404": notFound } }),
      },
      "/api/jobs/{id}/cancel": {
        post: operation("Stop a running job", { parameters: [jobId], responses: { "200": answer("`{ cancelled: true }`, or `{ cancelled: false, reason }` when it was not running.", "CancelAnswer"), "404": notFound } }),
      },
      "/api/jobs/{id}/images": {
        post: operation("Resume, retry, regenerate or add creatives, streamed like a new run", {
          parameters: [jobId],
          requestBody: { required: true, content: json("RerunRequest") },
          responses: { "200": stream, "400": error("The request is not valid."), "404": notFound, "409": error("The job is running."), "429": error("Too many runs started this minute."), "502": error("The provider's catalogue could not be asked which routes serve the model: try again."), "503": error("The server is restarting: try again in a few seconds."), "507": COMMON.diskFull },
        }),
      },
      "/api/jobs/{id}/design": {
        patch: operation("Change the copy, colours, logo, layout or format of every finished creative (no model call)", {
          parameters: [jobId],
          requestBody: { required: true, content: json("DesignPatch") },
          responses: { "200": answer("The new design and the re-composited creatives.", "DesignEdit"), "400": error("The design is not valid."), "404": notFound, "409": error("The job is still generating."), "507": COMMON.diskFull },
        }),
      },
      "/api/jobs/{id}/images/{index}": {
        patch: operation("Another layout for one creative", { parameters: [jobId, imageIndex], requestBody: { required: true, content: json("LayoutPatch") }, responses: { "200": answer("The re-composited creative.", "LayoutEdit"), "400": error("The layout is not valid."), "404": notFound, "409": error("The job is still generating."), "507": COMMON.diskFull } }),
      },
      "/api/jobs/{id}/images/{index}/export": {
        get: operation("One creative in every platform format, as a zip of PNGs or JPEGs", {
          parameters: [jobId, imageIndex, { name: "type", in: "query", description: "`png` (lossless, the default) or `jpg`.", schema: { type: "string", enum: ["png", "jpg"], default: "png" } }],
          responses: { "200": zip, "400": error("A malformed id, or a type other than png or jpg."), "404": notFound },
        }),
      },
      "/api/jobs/{id}/download": {
        get: operation("Every finished ad, its background, creatives.json and creatives.csv, as a zip", {
          parameters: [jobId, { name: "type", in: "query", description: "`jpg` (the ads as stored, the default) or `png` (lossless, composed again from the pictures).", schema: { type: "string", enum: ["jpg", "png"], default: "jpg" } }],
          responses: { "200": zip, "400": error("A malformed id, or a type other than jpg or png."), "404": notFound, "409": error("No finished images yet.") },
        }),
      },
      "/api/images/{id}": {
        get: operation("A stored picture, ad, preview or upload", {
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "download", in: "query", description: "`1`: as an attachment named after its campaign.", schema: { type: "string", enum: ["1"] } },
          ],
          responses: { "200": image, "206": image, "304": { description: "Not modified." }, "404": error("No such file in your workspace.") },
        }),
      },
      "/api/previews/{id}": {
        get: operation("A live preview too large to travel inside its event (kept a few minutes)", {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[0-9a-f]{32}$" } }],
          responses: { "200": { description: "A WebP.", content: { "image/webp": { schema: { type: "string", contentMediaType: "image/webp" } } } }, "404": error("Gone: previews last a few minutes, the finished image replaces them.") },
        }),
      },
      "/api/copy": {
        get: operation("The copy writers (Hugging Face, OpenAI, the offline templates) and which can be used here", { responses: { "200": answer("Every writer with its model and whether it is set up.", "CopyWriterList") } }),
        post: operation("Draft ad copy for a brief: headline, subline, CTA, primary text and description, each within the formats' platform limits", {
          description: "A hosted writer's line that does not fit is asked for once more, then taken from the offline writer (`notes` says which). Lines are never cut. `lines` asks for only some of them (a \"Write again\" for one line).",
          requestBody: { required: true, content: json("WriteCopyRequest") },
          responses: {
            "200": answer("The drafted lines, who wrote them, and their limits.", "WrittenCopy"),
            "400": error("The request is not valid, or the writer named is not set up here."),
            "429": error("The writer's provider asks to slow down."),
            "502": error("The writer's provider failed or answered nonsense: try again, or use the offline writer."),
            "504": error("The writer did not answer within COPY_TIMEOUT_MS."),
          },
        }),
      },
      "/api/brand-kits": {
        get: operation("The workspace's saved brand kits (one per client), by name", { responses: { "200": answer("Every kit with its brand, colours, uploads and brief.", "BrandKitList") } }),
        post: operation("Save a brand kit with the brief it goes with; a kit of the same name is replaced", {
          requestBody: { required: true, content: json("BrandKitInput") },
          responses: { "201": answer("The kit as saved.", "BrandKit"), "400": error("The kit is not valid, names another workspace's upload, or the workspace has 100 kits.") },
        }),
      },
      "/api/brand-kits/{id}": {
        delete: operation("Delete a brand kit (its uploads stay while campaigns use them)", {
          parameters: [{ name: "id", in: "path", required: true, description: "The kit's id (16 letters, digits, - or _).", schema: { type: "string", pattern: "^[A-Za-z0-9_-]{16}$" } }],
          responses: { "204": { description: "Deleted." }, "404": error("No such kit in your workspace.") },
        }),
      },
      "/api/logos": {
        post: operation("Upload a logo (PNG, JPEG, WebP or SVG, at most 2 MB) for designs", {
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } },
          responses: { "201": answer("The logo as a PNG: name its logoId as design.logoId.", "UploadedLogo"), "400": error("Unusable: empty, damaged, unsafe or too complex an SVG."), "413": error("Larger than 2 MB."), "415": error("Not a PNG, JPEG, WebP or SVG."), "507": COMMON.diskFull },
        }),
      },
      "/api/products": {
        post: operation("Upload a product photo (at most 8 MB); its background is keyed out when plain", {
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } },
          responses: { "201": answer("The product as a PNG with alpha: name its productId as design.productId.", "UploadedProduct"), "400": error("Unusable: empty, damaged, or a busy photo whose backdrop cannot be keyed."), "413": error("Larger than 8 MB."), "415": error("Not a PNG, JPEG or WebP."), "507": COMMON.diskFull },
        }),
      },
      "/api/providers": {
        get: operation("The image providers, their models and whether each is available", { responses: { "200": answer("Every provider with its models and the routes serving each.", "ProviderList") } }),
      },
      "/api/providers/{id}/check": {
        post: operation("Check a provider's credentials (Hugging Face: whoami)", {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": answer("The provider, with what its account check said.", "ProviderCheck"), "400": error("That provider has no credentials to check."), "404": error("No provider of that name.") },
        }),
      },
      ...(options.auth
        ? {
            "/api/tokens": {
              get: operation("Your live API tokens in this workspace (never the tokens themselves)", { responses: { "200": answer("The tokens, newest first.", "ApiTokenList") } }),
              post: {
                ...operation("Make an API token (signed in, not with another token); the answer holds it this once", { requestBody: { required: true, content: json("NewApiToken") }, responses: { "201": { description: "The token.", content: json("CreatedApiToken") }, "400": error("The name is not valid."), "403": error("Tokens cannot make tokens.") } }),
                security: [{ sessionCookie: [] }],
              },
            },
            "/api/password-resets": {
              post: {
                ...operation("A one-time password-reset link (for a day) for a member of your workspace; owners reset admins and members, admins members", {
                  requestBody: { required: true, content: json("NewPasswordReset") },
                  responses: { "201": { description: "The link's path on this site, and for whom.", content: json("PasswordResetLink") }, "400": error("The request is not valid."), "403": error("Not yours to reset (a member asking, an owner's or your own password, or with a token)."), "404": error("No such member in your workspace.") },
                }),
                security: [{ sessionCookie: [] }],
              },
            },
            "/api/tokens/{id}": {
              delete: operation("Revoke one of your tokens: the next request with it gets 401", { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "204": { description: "Revoked." }, "404": error("No live token of yours with that id.") } }),
            },
          }
        : {}),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
