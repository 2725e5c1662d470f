/**
 * What a word or a phrase means, as one unit vector: the mean of its content
 * words' vectors ("oil production" between "oil" and "production").
 */
import { processTerm, tokenize } from './terms.ts';
import { normalised, type WordVectors } from './word-vectors.ts';

/** Undefined when the table knows none of its content words (a name it lacks, a number). */
export function phraseMeaning(text: string, vectors: WordVectors): Float32Array | undefined {
  const sum = new Float32Array(vectors.dimensions);
  let any = false;
  for (const word of tokenize(text)) {
    if (processTerm(word) === null) continue;
    const vector = vectors.vector(word);
    if (vector === undefined) continue;
    any = true;
    for (let d = 0; d < sum.length; d++) sum[d] = (sum[d] as number) + (vector[d] as number);
  }
  return any ? normalised(sum) : undefined;
}
