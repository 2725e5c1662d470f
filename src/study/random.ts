/**
 * Randomness that a caller controls: a function returning numbers in [0, 1),
 * made from a seed, so a quiz drawn at a given time (or in a test) is drawn
 * the same way every time.
 */

export type Random = () => number;

/** mulberry32: small, fast, and good enough to pick among a few dozen questions. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seed from several parts (a time, a user id): equal parts give equal seeds. */
export function seedOf(...parts: (string | number)[]): number {
  // FNV-1a over the parts' text.
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A whole number from 0 to `count` − 1. */
export function pickIndex(random: Random, count: number): number {
  return Math.min(count - 1, Math.floor(random() * count));
}

/** One element, or undefined from an empty list. */
export function pickOne<T>(random: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[pickIndex(random, items.length)];
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = pickIndex(random, index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}
