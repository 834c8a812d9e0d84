import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/server/env";

/** Embedded by default; distributed with all of Redis, Postgres and S3; anything in between refused with what is missing. */
const DISTRIBUTED = {
  REDIS_URL: "redis://127.0.0.1:6379",
  DATABASE_URL: "postgres://ads:secret@127.0.0.1:5432/ads",
  S3_BUCKET: "ad-creatives",
  S3_ACCESS_KEY_ID: "key",
  S3_SECRET_ACCESS_KEY: "secret",
};

describe("the deployment mode", () => {
  it("is embedded when none of the distributed settings is set", () => {
    expect(parseEnv({}).deployment).toEqual({ mode: "embedded" });
  });

  it("is distributed with all of them, S3 defaults filled in", () => {
    expect(parseEnv({ ...DISTRIBUTED, S3_ENDPOINT: "http://127.0.0.1:8333", S3_FORCE_PATH_STYLE: "true" }).deployment).toEqual({
      mode: "distributed",
      redisUrl: DISTRIBUTED.REDIS_URL,
      databaseUrl: DISTRIBUTED.DATABASE_URL,
      s3: { endpoint: "http://127.0.0.1:8333", bucket: "ad-creatives", region: "us-east-1", accessKeyId: "key", secretAccessKey: "secret", forcePathStyle: true },
    });
  });

  it("refuses a partial configuration, naming what is set and what is missing", () => {
    const attempt = () => parseEnv({ REDIS_URL: DISTRIBUTED.REDIS_URL });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REDIS_URL is set, but DATABASE_URL, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are missing/);
    expect(() => parseEnv({ ...DISTRIBUTED, S3_SECRET_ACCESS_KEY: "" })).toThrow(/S3_SECRET_ACCESS_KEY is missing/);
    expect(() => parseEnv({ S3_ENDPOINT: "http://127.0.0.1:8333" })).toThrow(/REDIS_URL, DATABASE_URL, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are missing/);
  });

  it("says which value is malformed, never echoing a password", () => {
    const error = (() => {
      try {
        parseEnv({ ...DISTRIBUTED, DATABASE_URL: "mysql://ads:hunter2@db/ads", REDIS_URL: "http://x", S3_BUCKET: "Not_A_Bucket", WORKER_CONCURRENCY: "0" });
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error?.message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(error?.message).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(error?.message).toMatch(/S3_BUCKET: must be an S3 bucket name/);
    expect(error?.message).toMatch(/WORKER_CONCURRENCY: must be at least 1/);
    expect(error?.message).not.toContain("hunter2");
  });
});

describe("accounts (AUTH)", () => {
  it("are off on loopback and on anywhere else, unless said otherwise", () => {
    expect(parseEnv({}).AUTH).toBe("off");
    expect(parseEnv({ BIND_HOST: "127.0.0.1" }).AUTH).toBe("off");
    expect(parseEnv({ BIND_HOST: "localhost" }).AUTH).toBe("off");
    expect(parseEnv({ BIND_HOST: "::1" }).AUTH).toBe("off");
    expect(parseEnv({ BIND_HOST: "0.0.0.0" }).AUTH).toBe("on");
    expect(parseEnv({ BIND_HOST: "192.168.1.20" }).AUTH).toBe("on");
    expect(parseEnv({ BIND_HOST: "127.0.0.1", AUTH: "on" }).AUTH).toBe("on");
  });

  it("refuse AUTH=off beyond loopback unless ALLOW_UNAUTHENTICATED says it is meant, and say what it would expose", () => {
    const attempt = () => parseEnv({ BIND_HOST: "0.0.0.0", AUTH: "off" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/Refusing to serve 0\.0\.0\.0 with AUTH=off/);
    expect(attempt).toThrow(/spend your provider keys, see every campaign and delete it/);
    expect(parseEnv({ BIND_HOST: "0.0.0.0", AUTH: "off", ALLOW_UNAUTHENTICATED: "true" }).AUTH).toBe("off");
  });

  it("need one AUTH_SECRET for every instance in distributed mode, and a long one anywhere", () => {
    expect(() => parseEnv({ ...DISTRIBUTED, AUTH: "on" })).toThrow(/AUTH_SECRET is missing/);
    expect(parseEnv({ ...DISTRIBUTED, AUTH: "on", AUTH_SECRET: "x".repeat(32) }).AUTH).toBe("on");
    expect(() => parseEnv({ AUTH: "on", AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32 characters/);
    expect(() => parseEnv({ AUTH: "maybe" })).toThrow(/AUTH: must be on or off/);
    expect(() => parseEnv({ SIGN_UP: "everyone" })).toThrow(/SIGN_UP: must be invite or open/);
  });
});
