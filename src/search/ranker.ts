/** The linear re-ranker: a weighted sum of a candidate's features. */
import trained from './ranker-weights.json' with { type: 'json' };
import { FEATURE_NAMES, type FeatureName } from './features.ts';

export type RankerWeights = Record<FeatureName, number>;

/** A feature the weights file does not name weighs nothing, so a stale file degrades instead of crashing. */
export const TRAINED_WEIGHTS = Object.fromEntries(
  FEATURE_NAMES.map((name) => [name, (trained.weights as Partial<Record<string, number>>)[name] ?? 0]),
) as RankerWeights;

export const TRAINED_BM25: { k: number; b: number } = trained.bm25;

/** Weights as a vector in FEATURE_NAMES order, for the hot loop. */
export function weightVector(weights: RankerWeights): number[] {
  return FEATURE_NAMES.map((name) => weights[name]);
}

export function linearScore(vector: readonly number[], features: readonly number[]): number {
  let score = 0;
  for (let i = 0; i < vector.length; i++) score += (vector[i] as number) * (features[i] as number);
  return score;
}
