/**
 * The "model" behind the text stand-ins (Hugging Face's chat completions, OpenAI's Responses):
 * it reads the prompt as a model would (the product, the angle, and each asked line with its
 * limit in characters) and writes a JSON object of those lines. Scripted behaviours make it
 * misbehave the ways real models do: a line over its limit, prose around the object, no JSON.
 * Only node built-ins, so Vitest and Playwright can both load it.
 */

export interface TextBehaviour {
  /** Time before the answer. */
  latencyMs?: number;
  /** These lines come back this many characters over their limit (a model that cannot count). */
  overLimit?: Record<string, number>;
  /** The reply's text as given, instead of the written lines. */
  reply?: string;
  /** An HTTP error instead of an answer. */
  status?: number;
  body?: unknown;
}

interface Asked {
  product: string;
  angle: string;
  lines: { key: string; limit: number }[];
}

/** What the prompt asks for, read from its text: `"headline": at most 40 characters, …`. */
export function readPrompt(texts: string[]): Asked | null {
  const prompt = texts.find((text) => text.includes("Write these lines"));
  if (!prompt) return null;
  const product = /^Product: (.*)$/m.exec(prompt)?.[1]?.trim() ?? "it";
  const angle = /^Angle: ([^:]*)/m.exec(prompt)?.[1]?.trim() ?? "Benefit";
  const lines = [...prompt.matchAll(/^"(\w+)": at most (\d+) characters/gm)].map((match) => ({ key: match[1]!, limit: Number(match[2]) }));
  return { product, angle, lines };
}

const PHRASES: Record<string, string[]> = {
  headline: ["{p}, made for your day", "Say hello to {p}", "{p}"],
  subline: ["Everything you liked, and a little more of it.", "Made with care.", "Try it."],
  cta: ["Shop now", "Go"],
  primaryText: ["Meet {p}: made with care for people who notice the difference. Find out why it is worth it.", "Meet {p}.", "Meet it."],
  description: ["Made with care", "New"],
};

/** The JSON reply; a line is over its limit only when the behaviour says so. */
export function writeReply(asked: Asked, behaviour: TextBehaviour, corrected: boolean): string {
  const lines: Record<string, string> = {};
  for (const { key, limit } of asked.lines) {
    const candidates = (PHRASES[key] ?? ["Yes"]).map((phrase) => phrase.replace("{p}", asked.product));
    const fitting = candidates.find((text) => text.length <= limit) ?? candidates.at(-1)!.slice(0, limit);
    const over = corrected ? 0 : (behaviour.overLimit?.[key] ?? 0);
    lines[key] = over > 0 ? padTo(fitting, limit + over) : fitting;
  }
  return JSON.stringify(lines);
}

/** Whole words added until the text is `length` characters long, as a model that overwrites would. */
function padTo(text: string, length: number): string {
  let out = text;
  const words = ["really", "truly", "always", "every", "single", "day"];
  for (let i = 0; out.length < length; i++) out = `${out} ${words[i % words.length]}`;
  return out;
}
