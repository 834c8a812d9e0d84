import "server-only";
import path from "node:path";
import { z } from "zod";
import { PROVIDER_IDS } from "@/lib/campaign";

/**
 * All configuration, validated once. Everything else imports `env()` instead of reading
 * process.env, so a bad value fails at start-up with one readable message.
 */

const emptyAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(
  emptyAsUndefined,
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
);
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const envSchema = z.object({
  HF_TOKEN: optionalString,
  HF_MODEL: z.preprocess(emptyAsUndefined, z.string().default("stabilityai/stable-diffusion-xl-base-1.0")),
  HF_ENDPOINT_URL: optionalUrl,
  POLLINATIONS_BASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://image.pollinations.ai"),
  ),
  POLLINATIONS_MODEL: z.preprocess(emptyAsUndefined, z.string().default("flux")),
  POLLINATIONS_TOKEN: optionalString,
  IMAGE_PROVIDER: z.preprocess(
    emptyAsUndefined,
    z.enum(PROVIDER_IDS, { error: `must be one of: ${PROVIDER_IDS.join(", ")}` }).optional(),
  ),
  GENERATION_CONCURRENCY: int(4, 1, 64),
  GENERATION_GLOBAL_CONCURRENCY: int(64, 1, 10_000),
  GENERATION_TIMEOUT_MS: int(120_000, 1_000, 600_000),
  SSE_HEARTBEAT_MS: int(15_000, 100, 60_000),
  JOB_ORPHAN_GRACE_MS: int(30_000, 0, 3_600_000),
  RATE_LIMIT_RUNS_PER_MINUTE: int(0, 0, 100_000),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
});

export type AppEnv = Omit<z.infer<typeof envSchema>, "IMAGE_PROVIDER" | "DATA_DIR"> & {
  IMAGE_PROVIDER: (typeof PROVIDER_IDS)[number];
  DATA_DIR: string;
};

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
  const value = parsed.data;
  const defaultProvider = value.IMAGE_PROVIDER ?? (value.HF_TOKEN ? "huggingface" : "builtin");
  return { ...value, IMAGE_PROVIDER: defaultProvider, DATA_DIR: path.resolve(value.DATA_DIR) };
}

let cached: AppEnv | undefined;

export function env(): AppEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
