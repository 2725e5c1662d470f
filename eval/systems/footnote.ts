/** Footnote's own engine, through the same entry point the bot uses. */
import { Engine, type EngineOptions } from '../../src/answer/engine.ts';
import { FEATURE_NAMES } from '../../src/answer/candidate-features.ts';
import { LinearReranker, type RankerWeights } from '../../src/answer/reranker.ts';
import type { SearchSystem } from './types.ts';

function footnoteSystem(name: string, options: EngineOptions = {}): SearchSystem {
  return {
    name,
    build(collection) {
      const engine = new Engine(collection.articles, options);
      // Paragraphs are identified by article and position, not object identity, so the engine may copy them.
      const ids = new Map(collection.paragraphs.map((paragraph, id) => [`${paragraph.article}#${paragraph.position}`, id]));
      return (question) => {
        const outcome = engine.search(question);
        if (!outcome.answered) return { ranked: [], answer: null };
        const ranked = outcome.passages.map(({ paragraph }) => ids.get(`${paragraph.article}#${paragraph.position}`) ?? -1);
        return { ranked, answer: outcome.answer[0]?.text ?? null };
      };
    },
  };
}

export const footnote = footnoteSystem('footnote');

/** The re-ranker switched off: MiniSearch's BM25 order alone. */
const BM25_ONLY = Object.fromEntries(FEATURE_NAMES.map((feature) => [feature, feature === 'bm25' ? 1 : 0])) as RankerWeights;

/**
 * `--ablation`: Footnote with its parts switched off one at a time, each row
 * adding one part (same trained weights throughout; see README, "Measured").
 */
export const FOOTNOTE_ABLATION: readonly SearchSystem[] = [
  footnoteSystem('fn: terms + aliases + typo fallback, BM25 order', { reranker: new LinearReranker(BM25_ONLY), synonyms: false, answerAll: true, wordVectors: null }),
  footnoteSystem('fn: + sentence-evidence re-ranker', { synonyms: false, answerAll: true, wordVectors: null }),
  footnoteSystem('fn: + WordNet synonyms and derived forms, no word vectors', { answerAll: true, wordVectors: null }),
  footnoteSystem('fn: + word vectors: near-meaning coverage features', { answerAll: true, meaning: { neighbours: false, coverage: true } }),
  footnoteSystem('fn: + word vectors: nearest text words searched', { answerAll: true }),
  footnoteSystem('fn: + answerability model, no word vectors', { wordVectors: null }),
  footnoteSystem('fn: + answerability model (= footnote)'),
];
