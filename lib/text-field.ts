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
    // The length it has, so the person knows how much to cut: nothing is ever cut for them.
    .max(max, { error: (issue) => `Shorten ${what} to ${max} characters or fewer (it has ${typeof issue.input === "string" ? issue.input.length : "more"}).` });
  return optional ? base : base.min(1, `Enter ${what}.`);
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
