/**
 * Reworded SQuAD questions: a stand-in, for training and tuning, for students
 * who ask in their own words. SQuAD's questions share most of their words with
 * their paragraph, so weights learnt on them trust word overlap and turn away a
 * question that shares only meaning. Here every second plain word a question
 * shares with its gold paragraph is put in other words the paragraph does not
 * use: a WordNet synonym where there is one ("largest" → "biggest"), the
 * nearest word in meaning (GloVe, cosine ≥ 0.65) otherwise, never a form of
 * the same word ("invented" → "inventor"). GloVe's neighbours include
 * opposites and siblings ("black" → "white"): a noisy stand-in, not a set to
 * quote figures from as if students wrote it. Names, numbers and question
 * words stay. Deterministic: no randomness.
 *
 * The held-out sets in eval/sets/ are never reworded or looked at here.
 */
import { processTerm, termsOf, tokenize } from '../src/language/terms.ts';
import type { WordNet } from '../src/language/wordnet.ts';
import type { WordVectors } from '../src/language/word-vectors.ts';
import type { EvalCollection } from './dataset.ts';

/** Near words come from the most frequent English words: rare ones are often misspellings or names. */
const CANDIDATE_WORDS = 40_000;
/** A replacement must mean about the same: GloVe's best neighbours of everyday words score 0.6–0.85. */
const MIN_COSINE = 0.45;
/** A neighbour that is no synonym must be this close. */
const MIN_COSINE_UNLISTED = 0.65;
const PLAIN = /^[a-z]{3,}$/;

export class Rewording {
  private readonly words: string[];
  private readonly matrix: Float32Array;
  private readonly nearest = new Map<string, string[]>();

  constructor(
    private readonly vectors: WordVectors,
    private readonly wordNet: WordNet,
  ) {
    if (vectors.vocabulary === undefined) throw new Error('this word-vector table cannot list its words');
    this.words = vectors.vocabulary(CANDIDATE_WORDS).filter((word) => PLAIN.test(word) && processTerm(word) !== null);
    const dimensions = vectors.dimensions;
    this.matrix = new Float32Array(this.words.length * dimensions);
    this.words.forEach((word, i) => this.matrix.set(vectors.vector(word) as Float32Array, i * dimensions));
  }

  /** Words near in meaning, best first, that are not forms of the same word. */
  private neighbours(word: string): string[] {
    const known = this.nearest.get(word);
    if (known !== undefined) return known;
    const vector = this.vectors.vector(word);
    const synonyms = new Set(this.wordNet.synonyms(word));
    const found: { word: string; cosine: number }[] = [];
    if (vector !== undefined) {
      const dimensions = this.vectors.dimensions;
      for (let i = 0; i < this.words.length; i++) {
        let sum = 0;
        const offset = i * dimensions;
        for (let d = 0; d < dimensions; d++) sum += (this.matrix[offset + d] as number) * (vector[d] as number);
        const candidate = this.words[i] as string;
        if (sum >= MIN_COSINE_UNLISTED || (sum >= MIN_COSINE && synonyms.has(candidate))) found.push({ word: candidate, cosine: sum + (synonyms.has(candidate) ? 1 : 0) });
      }
    }
    const result = found
      .sort((a, b) => b.cosine - a.cosine)
      .map((entry) => entry.word)
      .filter((candidate) => !sameWord(word, candidate))
      .slice(0, 8);
    this.nearest.set(word, result);
    return result;
  }

  /** The question with every second word it shares with its paragraph put in other words; undefined when none could be. */
  reword(question: string, paragraph: string): string | undefined {
    const paragraphTerms = new Set(termsOf(paragraph));
    let shared = 0;
    let changed = false;
    const out = question.replace(/[A-Za-z]+/g, (token, offset: number) => {
      // Capitalised words are names (or the question word that opens the question).
      if (token !== token.toLowerCase() || offset === 0) return token;
      const lower = tokenize(token)[0] ?? '';
      const term = processTerm(lower);
      if (term === null || !paragraphTerms.has(term) || !PLAIN.test(lower)) return token;
      shared += 1;
      if (shared % 2 === 0) return token;
      const replacement = this.neighbours(lower).find((candidate) => !paragraphTerms.has(processTerm(candidate) ?? ''));
      if (replacement === undefined) return token;
      changed = true;
      return replacement;
    });
    return changed ? out : undefined;
  }

  /** Each collection's questions reworded (those that could be), the gold paragraph kept. */
  rewordCollections(collections: readonly EvalCollection[]): EvalCollection[] {
    return collections.map((collection) => ({
      ...collection,
      questions: collection.questions.flatMap((question) => {
        const text = this.reword(question.question, collection.paragraphs[question.gold]?.text ?? '');
        return text === undefined ? [] : [{ ...question, question: text, kind: 'reworded' }];
      }),
    }));
  }
}

/** "invent", "invented", "inventor", "invention": one word for this purpose. */
function sameWord(a: string, b: string): boolean {
  if (processTerm(a) === processTerm(b)) return true;
  const shared = Math.min(a.length, b.length, 5);
  return a.slice(0, shared) === b.slice(0, shared) || a.includes(b) || b.includes(a);
}
