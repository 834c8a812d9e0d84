import "server-only";
import { z } from "zod";

/**
 * The kinds of setting the configuration is made of, so each part of the app can declare its
 * own settings (a provider beside its code) and `env.ts` validates them all at once. An empty
 * value counts as unset.
 */

export const emptyAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
export const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());
export const optionalUrl = z.preprocess(
  emptyAsUndefined,
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
);
export const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

export const flag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false", "1", "0"], { error: "must be true or false" })
      .default(fallback ? "true" : "false")
      .transform((value) => value === "true" || value === "1"),
  );

export const originUrl = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .default(fallback)
      .transform((value) => value.replace(/\/+$/, "")),
  );
