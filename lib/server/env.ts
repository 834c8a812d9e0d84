import "server-only";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { PROVIDER_IDS } from "@/lib/campaign";
import { emptyAsUndefined, flag, int, optionalString, optionalUrl } from "./config-fields";
import { DEFAULT_HF_MODELS } from "./providers/huggingface/huggingface-provider";
import { PROVIDER_SETTINGS } from "./providers/registry";

/**
 * All configuration, validated once. Everything else imports `env()` instead of reading
 * process.env, so a bad value fails at start-up with one readable message. Each provider
 * declares its own settings beside its code (`PROVIDER_SETTINGS` gathers them); the copy
 * writers use the provider's account settings (HF_TOKEN, OPENAI_API_KEY…) with a model of theirs.
 */

const envSchema = z.object({
  ...PROVIDER_SETTINGS,
  IMAGE_PROVIDER: z.preprocess(
    emptyAsUndefined,
    z.enum(PROVIDER_IDS, { error: `must be one of: ${PROVIDER_IDS.join(", ")}` }).optional(),
  ),
  /** The chat model that writes copy through Inference Providers' router (any conversational model the Hub serves). */
  HF_TEXT_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[\w.-]+\/[\w.-]+(:[\w-]+)?$/, "must be a Hub model id such as meta-llama/Llama-3.3-70B-Instruct").default("meta-llama/Llama-3.3-70B-Instruct")),
  /** The model that writes copy through the Responses API. */
  OPENAI_TEXT_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/, "must be a model id such as gpt-5-mini").default("gpt-5-mini")),
  /** Who writes copy when a request names nobody (the copy writer, a set's copy variants): auto = Hugging Face, then OpenAI, then the offline templates, whichever is set up first. */
  COPY_WRITER: z.preprocess(emptyAsUndefined, z.enum(["auto", "huggingface", "openai", "offline"], { error: "must be auto, huggingface, openai or offline" }).default("auto")),
  /** How long a copy draft (with one correction) may take before the form says so. */
  COPY_TIMEOUT_MS: int(45_000, 1_000, 300_000),
  /** Drafts a caller may ask of a hosted copy writer a minute (each spends the provider budget); 0 = no limit. The offline writer is never limited. */
  COPY_DRAFTS_PER_MINUTE: int(30, 0, 100_000),
  GENERATION_CONCURRENCY: int(4, 1, 64),
  GENERATION_GLOBAL_CONCURRENCY: int(64, 1, 10_000),
  GENERATION_TIMEOUT_MS: int(120_000, 1_000, 600_000),
  /** Worker threads for decoding, compositing and encoding; 0 does that work on the main thread. */
  IMAGE_WORKERS: int(os.availableParallelism(), 0, 64),
  SSE_HEARTBEAT_MS: int(15_000, 100, 60_000),
  JOB_ORPHAN_GRACE_MS: int(30_000, 0, 3_600_000),
  RATE_LIMIT_RUNS_PER_MINUTE: int(0, 0, 100_000),
  /** Runs one API token may start a minute (a script in a loop cannot spend the provider budget); 0 = no limit. */
  TOKEN_RUNS_PER_MINUTE: int(30, 0, 100_000),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  /** On SIGTERM/SIGINT: how long images in flight may finish before the rest is left for the next start. */
  SHUTDOWN_GRACE_MS: int(25_000, 0, 600_000),
  /** Distributed mode (all three of Redis, Postgres and S3, or none): see `deploymentOf`. */
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }).optional()),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional()),
  S3_ENDPOINT: optionalUrl,
  S3_BUCKET: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)").optional()),
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().trim().default("us-east-1")),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: flag(false),
  /** Images one `npm run worker` process works on at once. */
  WORKER_CONCURRENCY: int(16, 1, 256),
  /** How soon a task whose worker died (kill -9, a lost machine) is handed to another worker. */
  WORKER_STALLED_MS: int(30_000, 1_000, 600_000),
  /** Jobs a restart or crash interrupted resume by themselves at the next start. */
  AUTO_RESUME: flag(true),
  /** Accounts and workspaces: on or off; unset, off on loopback and on anywhere else (see `authOf`). */
  AUTH: z.preprocess(emptyAsUndefined, z.enum(["on", "off"], { error: "must be on or off" }).optional()),
  /** Serving another address than loopback with AUTH=off needs this, said out loud. */
  ALLOW_UNAUTHENTICATED: flag(false),
  /** Signs session cookies; in embedded mode one is made and kept in DATA_DIR when unset. */
  AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters (openssl rand -base64 32 makes one)").optional()),
  /** The address people open (https://ads.example.com): cookies are Secure when it is https. */
  APP_URL: optionalUrl,
  /** Who may create an account once the owner has: only people with an invitation, or anyone (each gets a workspace of their own). */
  SIGN_UP: z.preprocess(emptyAsUndefined, z.enum(["invite", "open"], { error: "must be invite or open" }).default("invite")),
  /** Behind a reverse proxy: count login attempts and runs by X-Forwarded-For instead of the connecting address. */
  TRUST_PROXY: flag(false),
  /** Set by `npm start`: the address the server is bound to (HOST or -H). */
  BIND_HOST: z.preprocess(emptyAsUndefined, z.string().trim().default("127.0.0.1")),
});

type ParsedEnv = z.infer<typeof envSchema>;

export type AppEnv = Omit<ParsedEnv, "IMAGE_PROVIDER" | "DATA_DIR" | "HF_MODELS" | "HF_MODEL" | "AUTH"> & {
  IMAGE_PROVIDER: (typeof PROVIDER_IDS)[number];
  DATA_DIR: string;
  HF_MODELS: string[];
  deployment: Deployment;
  /** Whether people sign in (and see only their workspace's campaigns). */
  AUTH: "on" | "off";
};

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare) || bare === "::ffff:127.0.0.1";
}

/**
 * Auth is on unless asked off, and off by default only where nobody else can connect. Serving
 * another address without it is refused unless ALLOW_UNAUTHENTICATED says it is meant.
 */
function authOf(value: ParsedEnv): "on" | "off" {
  const loopback = isLoopbackHost(value.BIND_HOST);
  const mode = value.AUTH ?? (loopback ? "off" : "on");
  if (mode === "off" && !loopback && !value.ALLOW_UNAUTHENTICATED) {
    throw new ConfigError(
      `Refusing to serve ${value.BIND_HOST} with AUTH=off.\n` +
        "  Anyone who can reach this address could spend your provider keys, see every campaign and delete it.\n" +
        "  Remove AUTH=off (people then sign in), bind to 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if a proxy in front already restricts who gets in.",
    );
  }
  return mode;
}

/**
 * Embedded: one process, SQLite and files in DATA_DIR. Distributed: web instances and workers
 * sharing Redis (queue, live events), Postgres (jobs) and an S3 bucket (images).
 */
export type Deployment =
  | { mode: "embedded" }
  | {
      mode: "distributed";
      redisUrl: string;
      databaseUrl: string;
      s3: { endpoint?: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
    };

/** Which mode the settings ask for; a partial set is refused with what is missing. */
function deploymentOf(value: ParsedEnv): Deployment {
  const named = { REDIS_URL: value.REDIS_URL, DATABASE_URL: value.DATABASE_URL, S3_BUCKET: value.S3_BUCKET, S3_ACCESS_KEY_ID: value.S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: value.S3_SECRET_ACCESS_KEY };
  const set = Object.entries(named).filter(([, setting]) => setting !== undefined).map(([name]) => name);
  if (set.length === 0 && !value.S3_ENDPOINT) return { mode: "embedded" };
  const missing = Object.entries(named).filter(([, setting]) => setting === undefined).map(([name]) => name);
  if (missing.length > 0) {
    throw new ConfigError(
      `Incomplete distributed configuration: ${set.length > 0 ? `${set.join(", ")} ${set.length === 1 ? "is" : "are"} set, but ` : ""}${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing.\n` +
        "  Distributed mode needs all of REDIS_URL, DATABASE_URL, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (and S3_ENDPOINT for a store other than AWS).\n" +
        "  Remove them all to run embedded, on SQLite and DATA_DIR.",
    );
  }
  return {
    mode: "distributed",
    redisUrl: value.REDIS_URL!,
    databaseUrl: value.DATABASE_URL!,
    s3: {
      ...(value.S3_ENDPOINT ? { endpoint: value.S3_ENDPOINT } : {}),
      bucket: value.S3_BUCKET!,
      region: value.S3_REGION,
      accessKeyId: value.S3_ACCESS_KEY_ID!,
      secretAccessKey: value.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: value.S3_FORCE_PATH_STYLE,
    },
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (check .env.local or the environment):\n${lines.join("\n")}`);
  }
  const { HF_MODEL, HF_MODELS, ...value } = parsed.data;
  const defaultProvider = value.IMAGE_PROVIDER ?? (value.HF_TOKEN ? "huggingface" : "builtin");
  const models = HF_MODELS ?? (HF_MODEL ? [HF_MODEL] : DEFAULT_HF_MODELS);
  const deployment = deploymentOf(parsed.data);
  const auth = authOf(parsed.data);
  if (auth === "on" && deployment.mode === "distributed" && !value.AUTH_SECRET) {
    throw new ConfigError("AUTH_SECRET is missing: every web instance must sign sessions with the same secret in distributed mode (openssl rand -base64 32 makes one).");
  }
  return { ...value, AUTH: auth, HF_MODELS: models, IMAGE_PROVIDER: defaultProvider, DATA_DIR: path.resolve(value.DATA_DIR), deployment };
}

let cached: AppEnv | undefined;

export function env(): AppEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
