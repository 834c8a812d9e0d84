import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { apiPaths } from "../../lib/api-paths";
import { DEFAULT_BRIEF, DEFAULT_COUNT, generateRequestSchema, MAX_SEED, type GenerateRequest } from "../../lib/campaign";
import { DEFAULT_DESIGN } from "../../lib/design";
import { CliError, type ApiClient } from "../api-client";
import { followRun } from "../follow-run";
import { RunProgress } from "../run-progress";
import { saveCreatives } from "../save-creatives";

export interface GenerateOptions {
  brief: string;
  count?: string;
  format?: string;
  /** Several platform formats, comma-separated: one run each, saved side by side. */
  formats?: string;
  /** What the set differs in: picture, copy, layout or all. */
  variants?: string;
  /** Who writes copy variants: huggingface, openai or offline. */
  copyWriter?: string;
  provider?: string;
  model?: string;
  seed?: string;
  out?: string;
  /** A logo file (PNG, JPEG, WebP or SVG) uploaded for this run's design. */
  logo?: string;
  /** A product photo or cut-out uploaded to stand in every creative. */
  product?: string;
}

/**
 * `creatives generate --brief brief.json`: starts a run, shows each image's progress, follows
 * the run through dropped connections, and saves the finished ads and creatives.json.
 * Resolves to the exit code: 0 when every image was made and saved, 2 when some were not.
 */
export async function generateCommand(client: ApiClient, options: GenerateOptions, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  if (options.formats === undefined) return generateOne(client, await withUploads(client, readRequest(options), options), options.out, out);
  if (options.format !== undefined) throw new CliError("Use --format for one format or --formats for several, not both.");
  const formats = [...new Set(options.formats.split(",").map((format) => format.trim()).filter(Boolean))];
  if (formats.length === 0) throw new CliError("--formats needs at least one format, e.g. --formats instagram-square,story.");
  // Every format is checked before anything is uploaded or started; one seed for all, so each
  // format's set is made from the same scenes.
  const requests = formats.map((format) => readRequest({ ...options, format }));
  const seed = requests[0]!.seed ?? randomInt(0, MAX_SEED);
  const uploaded = await withUploads(client, requests[0]!, options);
  const dir = options.out ?? `creatives-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
  let code = 0;
  for (const request of requests) {
    new RunProgress(out).line(`${request.format}:`);
    const result = await generateOne(client, { ...request, seed, design: uploaded.design }, path.join(dir, request.format), out);
    code = Math.max(code, result);
  }
  return code;
}

/** One run: started, followed to its end, its ads and creatives.json saved in `dir`. */
async function generateOne(client: ApiClient, request: GenerateRequest, dir: string | undefined, out: NodeJS.WriteStream): Promise<number> {
  const response = await client.request(apiPaths.generate, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(request),
  });
  const progress = new RunProgress(out);
  const done = await followRun(client, response, progress);
  const job = await client.job(done.jobId);
  const saved = await saveCreatives(client, job, dir ?? `creatives-${done.jobId}`);
  progress.line(`Saved ${saved.files.length - 1} ad(s) and creatives.json to ${path.resolve(saved.dir)}`);
  for (const failure of saved.failed) progress.line(`  image ${failure.index + 1}: ${failure.message}`);
  return done.status === "completed" && saved.failed.length === 0 ? 0 : 2;
}

/** The request with --logo and --product uploaded first and named in its design (over the brief's own, if any). */
async function withUploads(client: ApiClient, request: GenerateRequest, options: GenerateOptions): Promise<GenerateRequest> {
  if (!options.logo && !options.product) return request;
  const read = (flag: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new CliError(`Cannot read --${flag} ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : String(error)}.`);
    }
  };
  const upload = async (flag: string, file: string, send: (bytes: Buffer) => Promise<string>) => {
    try {
      return await send(read(flag, file));
    } catch (error) {
      throw error instanceof CliError ? new CliError(`--${flag} ${file}: ${error.message}`) : error;
    }
  };
  const design = { ...DEFAULT_DESIGN, ...request.design };
  if (options.logo) design.logoId = await upload("logo", options.logo, (bytes) => client.uploadLogo(bytes));
  if (options.product) design.productId = await upload("product", options.product, (bytes) => client.uploadProduct(bytes));
  return { ...request, design };
}

/** The brief file with the flags over it, checked here with the server's own schema. */
function readRequest(options: GenerateOptions) {
  let brief: unknown;
  try {
    brief = JSON.parse(fs.readFileSync(options.brief, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : error instanceof SyntaxError ? `it is not JSON (${error.message})` : String(error);
    throw new CliError(`Cannot read the brief ${options.brief}: ${reason}.`);
  }
  if (typeof brief !== "object" || brief === null || Array.isArray(brief)) throw new CliError(`The brief ${options.brief} must be a JSON object with productName, productDescription, targetAudience …`);
  const number = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new CliError(`--${flag} must be a whole number (got "${value}").`);
    return Number(value);
  };
  const merged = {
    style: DEFAULT_BRIEF.style,
    tone: DEFAULT_BRIEF.tone,
    format: "instagram-square",
    count: DEFAULT_COUNT,
    ...brief,
    ...(options.count !== undefined ? { count: number("count", options.count) } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.variants !== undefined ? { variants: options.variants } : {}),
    ...(options.copyWriter !== undefined ? { copyWriter: options.copyWriter } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.seed !== undefined ? { seed: number("seed", options.seed) } : {}),
  };
  const parsed = generateRequestSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `\n  ${issue.path.join(".") || "(brief)"}: ${issue.message}`).join("");
    throw new CliError(`The brief is not valid (${options.brief} and the flags):${issues}`);
  }
  return parsed.data;
}
