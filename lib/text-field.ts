import { z } from "zod";

/** A trimmed text field whose errors name the field and the fix; shared by the brief and the ad copy. */
export function textField(what: string, max: number, { optional = false } = {}) {
  const base = z.string({ error: `${what} must be text` }).trim().max(max, `${what} must be at most ${max} characters`);
  return optional ? base : base.min(1, `${what} is required`);
}
