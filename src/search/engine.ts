/**
 * The answer engine: MiniSearch finds candidate paragraphs, a linear
 * re-ranker orders them on sentence-level evidence, and the best sentences
 * become the answer. It knows nothing of commands or platforms.
 */
import MiniSearch from 'minisearch';
import type { Article, Paragraph, Role } from '../corpus/types.ts';
import { paragraphEvidence, pairsOf, type ParagraphEvidence, type SentenceEvidence } from './evidence.ts';
import { coverageOf, featureVectors, ownFeatures, scoreSentences, type AnalysedQuestion, type SentenceScore } from './features.ts';
import { aliasGroupsOf, analyzeQuestion, answerKindOf, type Concept, type QueryLexicon } from './query.ts';
import { linearScore, TRAINED_BM25 as trainedBm25, TRAINED_WEIGHTS, weightVector, type RankerWeights } from './ranker.ts';
import { answerabilityFeatures, isAnswerable, TRAINED_ANSWERABILITY, type AnswerabilityModel } from './answerability.ts';
import { baseForm, processTerm, tokenize } from './terms.ts';
import { WordNet } from './wordnet.ts';

let wordNet: WordNet | undefined;
/** One thesaurus per process: its index files are read once, on first use. */
function sharedWordNet(): WordNet {
  wordNet ??= new WordNet();
  return wordNet;
}

export interface RankedPassage {
  paragraph: Paragraph;
  score: number;
  /** Share of the question's weight this passage covers, 0..1. */
  coverage: number;
  /** Index terms of the question (or their alternatives) found in it. */
  matchedTerms: ReadonlySet<string>;
  /** The passage's sentences that match the question, best first (indexes into `allSentences`). */
  sentences: SentenceScore[];
  /** Every sentence of the paragraph, in reading order: for answers and excerpts. */
  allSentences: readonly SentenceEvidence[];
}

export interface AnswerSentencePick {
  paragraph: Paragraph;
  text: string;
  start: number;
}

export interface SearchOutcome {
  question: string;
  concepts: Concept[];
  answered: boolean;
  /** Every passage that matched anything, best first (empty when not answered). */
  passages: RankedPassage[];
  /** 1–3 verbatim sentences (empty when not answered). */
  answer: AnswerSentencePick[];
}

/** A candidate's features, for training the re-ranker. */
export interface CandidateFeatures {
  paragraph: Paragraph;
  features: number[];
}

export interface EngineOptions {
  /** Decides whether the article answers a question at all; the trained model by default. */
  answerability?: AnswerabilityModel;
  /** Rank and answer every question, never saying "not in the article" (for measuring ranking alone). */
  answerAll?: boolean;
  /** Re-ranker weights; the trained ones by default. */
  weights?: RankerWeights;
  /** How many of MiniSearch's best results the re-ranker looks at. */
  candidates?: number;
  /** Expand questions with WordNet synonyms (default true). */
  synonyms?: boolean;
  /** BM25 term saturation (k) and length normalisation (b); MiniSearch's defaults otherwise. */
  bm25?: { k: number; b: number };
}

/** How much a match counts by what the paragraph is: the author's argument first. */
const ROLE_PRIOR: Record<Role, number> = { body: 1, bio: 0.9, comment: 0.8, byline: 0.6 };

/** An answer is one to three sentences: the best, and up to two that add to it. */
const MAX_ANSWER_SENTENCES = 3;

/** A follow-up answer sentence must score at least this share of the first one, and cover this much of the question. */
const FOLLOW_UP_SHARE = 0.6;
const FOLLOW_UP_MIN_COVERAGE = 0.4;

/** BM25 parameters, chosen by cross-validation on SQuAD (tools/train-ranker.ts); d is MiniSearch's BM25+ floor. */
export const BM25 = { k: trainedBm25.k, b: trainedBm25.b, d: 0.5 };

const CLOSE_TERM_CACHE_LIMIT = 5_000;

/** The engine reads at most this much of a question (callers cut questions shorter); a 6,000-character one costs no more. */
const MAX_ANALYSED_CHARS = 1_000;

interface Candidate {
  id: number;
  matchedTerms: ReadonlySet<string>;
  coverage: number;
  sentences: SentenceScore[];
  features: number[];
}

export class Engine {
  private readonly answerability: AnswerabilityModel | undefined;
  private readonly candidateCount: number;
  private readonly weights: number[];
  private readonly entries: ParagraphEvidence[];
  private readonly index: MiniSearch<{ id: number; text: string }>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly lexicon: QueryLexicon;
  private readonly bm25: { k: number; b: number; d: number };
  private readonly averageSentenceLength: number;
  private readonly closeTermCache = new Map<string, string[]>();

  constructor(articles: readonly Article[], options: EngineOptions = {}) {
    this.answerability = options.answerAll ? undefined : (options.answerability ?? TRAINED_ANSWERABILITY);
    this.candidateCount = options.candidates ?? 20;
    this.weights = weightVector(options.weights ?? TRAINED_WEIGHTS);
    this.bm25 = { ...BM25, ...options.bm25 };
    this.entries = articles.flatMap((article) => article.paragraphs.map(paragraphEvidence));
    this.index = new MiniSearch({ fields: ['text'], tokenize, processTerm });
    this.index.addAll(this.entries.map((entry, id) => ({ id, text: entry.paragraph.text })));
    for (const entry of this.entries) {
      const terms = new Set<string>();
      for (const sentence of entry.sentences) for (const term of sentence.terms) terms.add(term);
      for (const term of terms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    const sentences = this.entries.flatMap((entry) => entry.sentences);
    this.averageSentenceLength = Math.max(1, sentences.reduce((sum, sentence) => sum + sentence.length, 0) / Math.max(1, sentences.length));
    this.lexicon = {
      knows: (term) => this.documentFrequency.has(term),
      closeTerms: (term) => this.closeTerms(term),
      aliasGroups: articles.flatMap((article) => aliasGroupsOf(article.aliases)),
      ...(options.synonyms === false
        ? {}
        : {
            synonyms: (word: string) => sharedWordNet().synonyms(word),
            phraseSynonyms: (first: string, second: string) => sharedWordNet().phraseSynonyms(first, second),
            senseCount: (word: string) => sharedWordNet().senseCount(word),
            isWord: (word: string) => sharedWordNet().isWord(word),
            isNoun: (word: string) => sharedWordNet().isNoun(word),
            wordKind: (word: string) => sharedWordNet().wordKind(word),
            derivedForms: (word: string) => sharedWordNet().derivedForms(word),
          }),
    };
  }

  /** Inverse document frequency (BM25 form); a term the index never saw weighs the most. */
  idf(term: string): number {
    const n = this.entries.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Ranks the article's passages for a question and picks the answer sentences. */
  search(question: string): SearchOutcome {
    const analysed = this.analyse(question);
    const ranked = this.rank(analysed);
    const best = ranked[0];
    const answered = best !== undefined && (this.answerability === undefined || isAnswerable(this.answerability, this.answerabilityFeatures(analysed, best.candidate)));
    if (!answered) {
      return { question, concepts: analysed.concepts, answered: false, passages: [], answer: [] };
    }
    const passages = ranked.map(({ candidate, score }) => ({
      paragraph: this.entry(candidate.id).paragraph,
      allSentences: this.entry(candidate.id).sentences,
      score,
      coverage: candidate.coverage,
      matchedTerms: candidate.matchedTerms,
      sentences: candidate.sentences.filter((sentence) => sentence.coverage > 0).sort((a, b) => b.score - a.score || a.index - b.index),
    }));
    return { question, concepts: analysed.concepts, answered: true, passages, answer: this.pickAnswer(passages) };
  }

  /** The answerability features of the best passage (undefined when nothing matches), for training that model. */
  answerabilityFeaturesOf(question: string): number[] | undefined {
    const analysed = this.analyse(question);
    const best = this.rank(analysed)[0];
    return best === undefined ? undefined : this.answerabilityFeatures(analysed, best.candidate);
  }

  private rank(analysed: AnalysedQuestion): { candidate: Candidate; score: number }[] {
    return this.candidates(analysed)
      .map((candidate) => ({ candidate, score: linearScore(this.weights, candidate.features) * ROLE_PRIOR[this.entry(candidate.id).paragraph.role] }))
      .sort((a, b) => b.score - a.score);
  }

  private answerabilityFeatures(analysed: AnalysedQuestion, candidate: Candidate): number[] {
    const bestSentence = Math.max(0, ...candidate.sentences.map((sentence) => sentence.coverage));
    return answerabilityFeatures(analysed, candidate.matchedTerms, bestSentence, this.lexicon.knows, this.idf(''));
  }

  /** Every candidate's features, for training the re-ranker on questions with known answers. */
  candidateFeatures(question: string): CandidateFeatures[] {
    return this.candidates(this.analyse(question)).map((candidate) => ({ paragraph: this.entry(candidate.id).paragraph, features: candidate.features }));
  }

  private analyse(question: string): AnalysedQuestion {
    const text = question.slice(0, MAX_ANALYSED_CHARS);
    const { concepts, tokens, terms } = analyzeQuestion(text, this.lexicon);
    const conceptWeights = concepts.map((concept) => this.idf(concept.alternatives[0]?.term ?? '') * (concept.weight ?? 1));
    const own = concepts.map((concept) => concept.alternatives[0]?.term ?? '');
    const pairs = pairsOf(terms);
    const weightOf = (term: string) => conceptWeights[own.indexOf(term)] ?? 0;
    const bases = concepts.map((concept) => baseForm(concept.word));
    return {
      concepts,
      conceptWeights,
      totalWeight: conceptWeights.reduce((sum, weight) => sum + weight, 0),
      pairs,
      pairWeights: new Map([...pairs].map((pair) => [pair, pair.split(' ').reduce((sum, term) => sum + weightOf(term), 0)])),
      kind: answerKindOf(text),
      words: new Set(tokens),
      specificity: bases.map((base) => specificityOf(this.lexicon.senseCount?.(base) ?? 0)),
      wordKinds: bases.map((base) => this.lexicon.wordKind?.(base) ?? 'other'),
    };
  }

  /** MiniSearch's best matches for every alternative of every concept, with the re-ranker's features. */
  private candidates(question: AnalysedQuestion): Candidate[] {
    const weights = new Map<string, number>();
    for (const concept of question.concepts) {
      for (const { term, weight, synonym } of concept.alternatives) if (!synonym) weights.set(term, Math.max(weight * (concept.weight ?? 1), weights.get(term) ?? 0));
    }
    if (weights.size === 0) return [];
    const results = this.index
      .search([...weights.keys()].join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boostTerm: (term) => weights.get(term) ?? 1,
        combineWith: 'OR',
        bm25: this.bm25,
      })
      .slice(0, this.candidateCount);
    const candidates = results.map((result, rank) => {
      const id = result.id as number;
      const entry = this.entry(id);
      const matchedTerms = new Set(result.terms);
      const coverage = coverageOf(question, matchedTerms);
      const sentences = scoreSentences(question, entry);
      const own = ownFeatures(question, entry, result.score, rank, coverage, matchedTerms, sentences, this.averageSentenceLength);
      return { id, matchedTerms, coverage, sentences, own };
    });
    const vectors = featureVectors(candidates.map((candidate) => candidate.own));
    return candidates.map(({ own: _own, ...candidate }, i) => ({ ...candidate, features: vectors[i] as number[] }));
  }

  /**
   * The best sentence of the best passage, then sentences of the next passages
   * that are nearly as good and cover question words the answer does not cover yet.
   */
  private pickAnswer(passages: RankedPassage[]): AnswerSentencePick[] {
    const picks: AnswerSentencePick[] = [];
    const covered = new Set<string>();
    let floor = 0;
    for (const passage of passages.slice(0, MAX_ANSWER_SENTENCES)) {
      for (const { index, coverage, score } of passage.sentences) {
        if (score < floor) break;
        const sentence = passage.allSentences[index];
        if (!sentence) continue;
        const adds = addsMatch(sentence.terms, passage.matchedTerms, covered);
        if (picks.length > 0 && (!adds || coverage < FOLLOW_UP_MIN_COVERAGE)) continue;
        if (picks.length === 0) floor = score * FOLLOW_UP_SHARE;
        picks.push({ paragraph: passage.paragraph, text: sentence.text, start: sentence.start });
        for (const term of sentence.terms) covered.add(term);
        break;
      }
      if (picks.length >= MAX_ANSWER_SENTENCES) break;
    }
    return picks;
  }

  /**
   * Index terms one edit away (two for long words), for typos in names.
   * Short words are left alone: "bake" is one letter from "sake".
   */
  private closeTerms(term: string): string[] {
    if (term.length < 5) return [];
    const cached = this.closeTermCache.get(term);
    if (cached) return cached;
    const found = new Set<string>();
    const fuzzy = term.length >= 9 ? 2 : 1;
    for (const result of this.index.search(term, { fuzzy, prefix: false, tokenize: (text) => [text], processTerm: (t) => t })) {
      for (const matched of result.terms) found.add(matched);
    }
    // A fuzzy walk of the index costs more than the rest of a question: people repeat their typos.
    if (this.closeTermCache.size >= CLOSE_TERM_CACHE_LIMIT) this.closeTermCache.clear();
    this.closeTermCache.set(term, [...found]);
    return [...found];
  }

  private entry(id: number): ParagraphEvidence {
    const entry = this.entries[id];
    if (!entry) throw new Error(`no indexed paragraph ${id}`);
    return entry;
  }
}

/** Does the sentence hold a matched question term the answer does not cover yet? */
function addsMatch(terms: ReadonlySet<string>, matched: ReadonlySet<string>, covered: ReadonlySet<string>): boolean {
  for (const term of terms) if (matched.has(term) && !covered.has(term)) return true;
  return false;
}

/** 1 for a word with at most one sense (or unknown to the thesaurus: names), falling as senses grow. */
function specificityOf(senses: number): number {
  return 1 / Math.log2(1 + Math.max(1, senses));
}
