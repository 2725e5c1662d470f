/** Small statistics shared by the eval and the bench. */

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Untimed questions before timing starts, so JIT warm-up is not counted as latency. */
export const WARM_UP_QUESTIONS = 50;

/** A small question set is asked again until this many are timed, so its p99 is not just its slowest question. */
export const MIN_TIMINGS = 1_000;

/** How many times a set of `questions` questions is asked to reach MIN_TIMINGS timings. */
export function timingRounds(questions: number): number {
  return Math.max(1, Math.ceil(MIN_TIMINGS / Math.max(1, questions)));
}
