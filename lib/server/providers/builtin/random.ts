import "server-only";

/** Deterministic randomness helpers over a seeded generator (seeded-random.ts). */
export type Rng = () => number;

export const range = (rng: Rng, min: number, max: number): number => min + rng() * (max - min);
export const int = (rng: Rng, min: number, max: number): number => Math.floor(range(rng, min, max + 1));
export function pick<T>(rng: Rng, items: readonly [T, ...T[]]): T {
  return items[Math.floor(rng() * items.length)] ?? items[0];
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}
