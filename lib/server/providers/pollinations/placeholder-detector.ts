import "server-only";
import { createHash } from "node:crypto";

/**
 * Pollinations' free endpoint, when it rate-limits, has answered `200` with a branded placeholder
 * picture instead of the one asked for. Such an answer is recognised by any of:
 * 1. its MD5 is one of the placeholders seen in the wild (reported in pollinations/pollinations#7207);
 * 2. its size is not the size asked for (the free endpoint returns exactly width×height; the
 *    placeholder is a fixed-size picture);
 * 3. the very same bytes already came back for a different prompt or seed (a real generation
 *    never repeats itself byte for byte across prompts or seeds).
 */
export const KNOWN_PLACEHOLDER_MD5 = new Set(["2090a5dc21c32952cbf8496339752bd1"]);

const REMEMBERED = 256;

export class PlaceholderDetector {
  /** digest → the (prompt, seed) it was the answer to; oldest first. */
  private readonly seen = new Map<string, string>();

  /** Why the answer looks like the placeholder, or null when it looks like a real picture. */
  check(bytes: Buffer, answer: { width: number; height: number }, asked: { prompt: string; seed: number; width: number; height: number }): string | null {
    const md5 = createHash("md5").update(bytes).digest("hex");
    if (KNOWN_PLACEHOLDER_MD5.has(md5)) return "it is Pollinations' known rate-limit picture";
    if (answer.width !== asked.width || answer.height !== asked.height) {
      return `it is ${answer.width}×${answer.height}, not the ${asked.width}×${asked.height} asked for`;
    }
    const key = `${asked.seed}\u0000${asked.prompt}`;
    const earlier = this.seen.get(md5);
    if (earlier !== undefined && earlier !== key) return "the same picture already came back for another prompt";
    this.seen.delete(md5);
    this.seen.set(md5, key);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    return null;
  }
}
