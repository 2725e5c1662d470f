/**
 * Word meaning over the index: every index term's vector (the mean of the
 * words that became it), every sentence as a list of term ids, and per
 * question the similarity of each of its words to the index terms, computed
 * once per pair. "Nuclear" in a passage then half-answers "atomic" in a
 * question, where the lexical signals see nothing at all.
 */
import type { ParagraphEvidence } from '../language/evidence.ts';
import { processTerm, tokenize, baseForm } from '../language/terms.ts';
import { normalised, type WordVectors } from '../language/word-vectors.ts';

/**
 * A word counts as a part match from this cosine up, growing to a full match
 * at 1: "atomic"–"nuclear" 0.83 counts 0.72, "output"–"production" 0.76 counts
 * 0.6, "bread"–"iran" 0.08 nothing. Chosen on the SQuAD tune half (0.1–0.4 all
 * cross-validate at R@1 84.1 with the vector features off; 0.6 at 83.4).
 */
export const NEAR_MATCH = 0.4;

/** What a near match counts for relative to the word itself, from the cosine: NEAR_MATCH counts 0, 1 counts 1. */
export function nearMatchCredit(cosine: number): number {
  return cosine < NEAR_MATCH ? 0 : (cosine - NEAR_MATCH) / (1 - NEAR_MATCH);
}

export class IndexMeaning {
  readonly dimensions: number;
  /** Per paragraph (index id), per sentence, the ids of its terms that have a vector. */
  readonly sentenceTerms: Int32Array[][];
  /** Per paragraph, the ids of all its terms that have a vector. */
  readonly paragraphTerms: Int32Array[];
  private readonly vectors: WordVectors;
  private readonly terms: string[] = [];
  /** Unit vectors, one row per term id. */
  private readonly matrix: Float32Array;

  /** Per paragraph, per sentence, the unit vector of its terms' vectors weighted by rarity; per paragraph the same. */
  readonly sentenceVectors: Float32Array[][];
  readonly paragraphVectors: Float32Array[];

  constructor(entries: readonly ParagraphEvidence[], vectors: WordVectors, idf: (term: string) => number) {
    this.vectors = vectors;
    this.dimensions = vectors.dimensions;
    const ids = new Map<string, number>();
    const sums: Float32Array[] = [];
    const seenWords = new Set<string>();
    // A term's vector sums each distinct word that became it once ("allies", "allied" → "alli").
    const learn = (token: string): void => {
      if (seenWords.has(token)) return;
      seenWords.add(token);
      const term = processTerm(token);
      const vector = term === null ? undefined : vectors.vector(token);
      if (term === null || vector === undefined) return;
      let id = ids.get(term);
      if (id === undefined) {
        id = this.terms.length;
        ids.set(term, id);
        this.terms.push(term);
        sums.push(new Float32Array(this.dimensions));
      }
      const sum = sums[id] as Float32Array;
      for (let d = 0; d < this.dimensions; d++) sum[d] = (sum[d] as number) + (vector[d] as number);
    };
    const tokens = entries.map((entry) => entry.sentences.map((sentence) => tokenize(sentence.text)));
    for (const sentences of tokens) for (const sentence of sentences) for (const token of sentence) learn(token);
    // Ids once every term's vector is summed: a term first met without a vector may get one later in the text.
    this.sentenceTerms = tokens.map((sentences) =>
      sentences.map((sentence) => Int32Array.from(new Set(sentence.flatMap((token) => ids.get(processTerm(token) ?? '') ?? [])))),
    );
    this.paragraphTerms = this.sentenceTerms.map((sentences) => Int32Array.from(new Set(sentences.flatMap((ids) => [...ids]))));
    this.matrix = new Float32Array(this.terms.length * this.dimensions);
    sums.forEach((sum, id) => this.matrix.set(normalised(sum), id * this.dimensions));
    this.sentenceVectors = this.sentenceTerms.map((sentences) => sentences.map((ids) => this.blend(ids, idf)));
    this.paragraphVectors = this.paragraphTerms.map((ids) => this.blend(ids, idf));
  }

  /** The unit vector of these term ids' vectors, each weighted by its rarity. */
  private blend(ids: Int32Array, idf: (term: string) => number): Float32Array {
    const out = new Float32Array(this.dimensions);
    for (const id of ids) {
      const weight = idf(this.terms[id] as string);
      for (let d = 0; d < this.dimensions; d++) out[d] = (out[d] as number) + weight * (this.matrix[id * this.dimensions + d] as number);
    }
    return normalised(out);
  }

  /** What the re-ranker's meaning features read of paragraph `id`. */
  paragraph(id: number): { sentenceTerms: Int32Array[]; sentenceVectors: Float32Array[]; paragraphVector: Float32Array } {
    return { sentenceTerms: this.sentenceTerms[id] ?? [], sentenceVectors: this.sentenceVectors[id] ?? [], paragraphVector: this.paragraphVectors[id] ?? new Float32Array(this.dimensions) };
  }

  get termCount(): number {
    return this.terms.length;
  }

  term(id: number): string {
    return this.terms[id] as string;
  }

  /** A question word's vector: as typed, else its base form ("began" → "begin"); undefined when the table lacks both. */
  wordVector(word: string): Float32Array | undefined {
    return this.vectors.vector(word) ?? this.vectors.vector(baseForm(word));
  }

  /** The words' similarities to the index terms, each pair computed once, when first asked. */
  forWords(words: readonly string[]): WordsMeaning {
    return new WordsMeaning(this, words.map((word) => this.wordVector(word)), this.matrix);
  }
}

export class WordsMeaning {
  private readonly index: IndexMeaning;
  private readonly wordVectors: (Float32Array | undefined)[];
  private readonly matrix: Float32Array;
  /** Per word, cosine to each term id; NaN until computed. */
  private readonly cache: (Float32Array | undefined)[];

  constructor(index: IndexMeaning, wordVectors: (Float32Array | undefined)[], matrix: Float32Array) {
    this.index = index;
    this.wordVectors = wordVectors;
    this.matrix = matrix;
    this.cache = wordVectors.map(() => undefined);
  }

  /** The unit vector of the words' vectors, each weighted as given (its rarity): undefined when the table knows none. */
  blend(weights: readonly number[]): Float32Array | undefined {
    let any = false;
    const out = new Float32Array(this.index.dimensions);
    this.wordVectors.forEach((vector, i) => {
      if (vector === undefined) return;
      any = true;
      const weight = weights[i] ?? 0;
      for (let d = 0; d < out.length; d++) out[d] = (out[d] as number) + weight * (vector[d] as number);
    });
    return any ? normalised(out) : undefined;
  }

  /** Does the table know word i? */
  has(word: number): boolean {
    return this.wordVectors[word] !== undefined;
  }

  similarity(word: number, termId: number): number {
    const vector = this.wordVectors[word];
    if (vector === undefined) return 0;
    let row = this.cache[word];
    if (row === undefined) {
      row = new Float32Array(this.index.termCount).fill(Number.NaN);
      this.cache[word] = row;
    }
    const known = row[termId] as number;
    if (!Number.isNaN(known)) return known;
    const dimensions = vector.length;
    const offset = termId * dimensions;
    let sum = 0;
    for (let d = 0; d < dimensions; d++) sum += (vector[d] as number) * (this.matrix[offset + d] as number);
    row[termId] = sum;
    return sum;
  }

  /** The best near-match credit word i gets from any of these terms. */
  bestCredit(word: number, termIds: Int32Array): number {
    if (this.wordVectors[word] === undefined) return 0;
    let best = 0;
    for (let i = 0; i < termIds.length; i++) best = Math.max(best, this.similarity(word, termIds[i] as number));
    return nearMatchCredit(best);
  }

  /** Word i's highest cosine with any index term (0 when the table lacks it): how far the text's vocabulary is from it. */
  bestCosine(word: number): number {
    if (this.wordVectors[word] === undefined) return 0;
    let best = 0;
    for (let id = 0; id < this.index.termCount; id++) best = Math.max(best, this.similarity(word, id));
    return best;
  }

  /** Index terms closest in meaning to word i, at least `minimum` cosine, closest first. */
  neighbours(word: number, count: number, minimum: number): { term: string; cosine: number }[] {
    if (this.wordVectors[word] === undefined) return [];
    const found: { id: number; cosine: number }[] = [];
    for (let id = 0; id < this.index.termCount; id++) {
      const cosine = this.similarity(word, id);
      if (cosine < minimum) continue;
      found.push({ id, cosine });
      if (found.length > count) {
        found.sort((a, b) => b.cosine - a.cosine);
        found.length = count;
      }
    }
    return found.sort((a, b) => b.cosine - a.cosine).map(({ id, cosine }) => ({ term: this.index.term(id), cosine }));
  }
}
