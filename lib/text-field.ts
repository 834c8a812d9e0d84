import { z } from "zod";

/**
 * A trimmed text field whose errors say what to do, in plain words ("Enter the product name."),
 * since the form shows them right under the field; shared by the brief and the ad copy.
 * `what` is the field as a sentence names it: "the product name".
 */
export function textField(what: string, max: number, { optional = false } = {}) {
  const base = z
    .string({ error: `${capitalise(what)} must be text.` })
    .trim()
    .max(max, `Shorten ${what} to ${max} characters or fewer.`);
  return optional ? base : base.min(1, `Enter ${what}.`);
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
