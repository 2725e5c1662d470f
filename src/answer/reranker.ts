/**
 * Re-rankers order the candidates MiniSearch retrieved by their features.
 * The one in use is linear: a weighted sum, trained by tools/train-ranker.ts.
 */
import trained from './ranker-weights.json' with { type: 'json' };
import { FEATURE_NAMES, featureVector, type CandidateFeatures, type FeatureName } from './candidate-features.ts';

/** Scores one candidate for a question; higher ranks first. */
export interface Reranker {
  score(features: CandidateFeatures): number;
}

export type RankerWeights = Record<FeatureName, number>;

/** A feature the weights file does not name weighs nothing, so a stale file degrades instead of crashing. */
export const TRAINED_WEIGHTS = Object.fromEntries(
  FEATURE_NAMES.map((name) => [name, (trained.weights as Partial<Record<string, number>>)[name] ?? 0]),
) as RankerWeights;

/** BM25 k and b, chosen with the weights (they shape the features the weights were trained on). */
export const TRAINED_BM25: { k: number; b: number } = trained.bm25;

export class LinearReranker implements Reranker {
  private readonly weights: number[];

  constructor(weights: RankerWeights = TRAINED_WEIGHTS) {
    this.weights = featureVector(weights);
  }

  score(features: CandidateFeatures): number {
    return linearScore(this.weights, featureVector(features));
  }
}

export function linearScore(vector: readonly number[], features: readonly number[]): number {
  let score = 0;
  for (let i = 0; i < vector.length; i++) score += (vector[i] as number) * (features[i] as number);
  return score;
}
