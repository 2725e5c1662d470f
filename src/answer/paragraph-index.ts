/**
 * The first stage: every paragraph of the library in a MiniSearch index, with
 * its sentence-level evidence and each term's document frequency, computed
 * once so a question only looks things up.
 */
import MiniSearch from 'minisearch';
import type { Article } from '../corpus/types.ts';
import { paragraphEvidence, type ParagraphEvidence } from '../language/evidence.ts';
import { processTerm, tokenize } from '../language/terms.ts';
import type { WordVectors } from '../language/word-vectors.ts';
import { IndexMeaning } from './meaning.ts';

/** BM25 term saturation (k) and length normalisation (b). */
export interface Bm25Parameters {
  k: number;
  b: number;
}

/** MiniSearch's BM25+ floor: a matched term adds at least this, however long the paragraph. */
const BM25_PLUS_FLOOR = 0.5;

/** One paragraph MiniSearch matched: its position in the index, score and the query terms it holds. */
export interface IndexMatch {
  id: number;
  score: number;
  terms: string[];
}

const CLOSE_TERM_CACHE_LIMIT = 5_000;

export class ParagraphIndex {
  /** Every paragraph's evidence; a paragraph's id is its position here. */
  readonly entries: readonly ParagraphEvidence[];
  /** Mean sentence length in terms, for sentence-level BM25. */
  readonly averageSentenceLength: number;
  private readonly miniSearch: MiniSearch<{ id: number; text: string }>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly bm25: Bm25Parameters & { d: number };
  private readonly closeTermCache = new Map<string, string[]>();
  /** The index terms' meaning, when word vectors are at hand. */
  readonly meaning: IndexMeaning | undefined;

  constructor(articles: readonly Article[], bm25: Bm25Parameters, vectors: WordVectors | null = null) {
    this.bm25 = { k: bm25.k, b: bm25.b, d: BM25_PLUS_FLOOR };
    this.entries = articles.flatMap((article) => article.paragraphs.map(paragraphEvidence));
    this.miniSearch = new MiniSearch({ fields: ['text'], tokenize, processTerm });
    this.miniSearch.addAll(this.entries.map((entry, id) => ({ id, text: entry.paragraph.text })));
    for (const entry of this.entries) {
      const terms = new Set<string>();
      for (const sentence of entry.sentences) for (const term of sentence.terms) terms.add(term);
      for (const term of terms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    const sentences = this.entries.flatMap((entry) => entry.sentences);
    this.averageSentenceLength = Math.max(1, sentences.reduce((sum, sentence) => sum + sentence.length, 0) / Math.max(1, sentences.length));
    this.meaning = vectors === null ? undefined : new IndexMeaning(this.entries, vectors, (term) => this.idf(term));
  }

  /** Is this term in the index at all? */
  knows(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /** Inverse document frequency (BM25 form); a term the index never saw weighs the most. */
  idf(term: string): number {
    const n = this.entries.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  entry(id: number): ParagraphEvidence {
    const entry = this.entries[id];
    if (!entry) throw new Error(`no indexed paragraph ${id}`);
    return entry;
  }

  /** Every paragraph holding any of the index terms, best BM25 first, each term boosted by its weight. */
  search(termWeights: ReadonlyMap<string, number>): IndexMatch[] {
    if (termWeights.size === 0) return [];
    // MiniSearch's results as they are (their ids are the ones added, numbers): no copy per match.
    return this.miniSearch.search([...termWeights.keys()].join(' '), {
      // The terms are index terms already: split and kept as they are.
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boostTerm: (term) => termWeights.get(term) ?? 1,
      combineWith: 'OR',
      bm25: this.bm25,
    });
  }

  /**
   * Index terms one edit away (two for long words), for typos in names.
   * Short words are left alone: "bake" is one letter from "sake".
   */
  closeTerms(term: string): string[] {
    if (term.length < 5) return [];
    const cached = this.closeTermCache.get(term);
    if (cached) return cached;
    const found = new Set<string>();
    const fuzzy = term.length >= 9 ? 2 : 1;
    for (const result of this.miniSearch.search(term, { fuzzy, prefix: false, tokenize: (text) => [text], processTerm: (t) => t })) {
      for (const matched of result.terms) found.add(matched);
    }
    // A fuzzy walk of the index costs more than the rest of a question: people repeat their typos.
    if (this.closeTermCache.size >= CLOSE_TERM_CACHE_LIMIT) this.closeTermCache.clear();
    this.closeTermCache.set(term, [...found]);
    return [...found];
  }
}
