/**
 * The answer engine, in stages: the paragraph index, question analysis,
 * candidate retrieval, re-ranking, the answerability gate and answer-sentence
 * picking. It knows nothing of commands or platforms.
 */
import type { Article, Paragraph } from '../corpus/types.ts';
import { answerabilityFeatures, isAboutSubject, isAnswerable, TRAINED_ANSWERABILITY, type AnswerabilityModel } from './answerability.ts';
import { pickAnswerSentences, type AnswerSentencePick } from './answer-sentences.ts';
import { featureVector } from './candidate-features.ts';
import { retrieveCandidates } from './candidates.ts';
import type { Concept } from './concepts.ts';
import { ParagraphIndex } from './paragraph-index.ts';
import { asksForReason, asksWhy, QuestionAnalyser, type AnalysedQuestion, type MeaningUses } from './question-analysis.ts';
import { sharedWordVectors, type WordVectors } from '../language/word-vectors.ts';
import { isPreferred, preferredFirst, rankCandidates, rankedPassage, type PreferredParagraphs, type RankedPassage, type ScoredCandidate } from './ranking.ts';
import { LinearReranker, TRAINED_BM25, type Reranker } from './reranker.ts';

export type { AnswerSentencePick } from './answer-sentences.ts';
export type { PreferredParagraphs, RankedPassage } from './ranking.ts';

export interface SearchOutcome {
  question: string;
  concepts: Concept[];
  /** The article answers it: the answerability gate passed. */
  answered: boolean;
  /**
   * "high" when answered; "low" when not, but the question is about the
   * article's subject (its passages are then the closest ones); "none" when
   * the article is not about it at all.
   */
  confidence: 'high' | 'low' | 'none';
  /** Every passage that matched anything, best first (empty when the confidence is none). */
  passages: RankedPassage[];
  /** 1–3 verbatim sentences (empty when not answered). */
  answer: AnswerSentencePick[];
}

/** A candidate's feature vector (FEATURE_NAMES order), for training the re-ranker. */
export interface TrainingCandidate {
  paragraph: Paragraph;
  features: number[];
}

export interface EngineOptions {
  /** Decides whether the article answers a question at all. Default: the trained model. */
  answerability?: AnswerabilityModel;
  /** Rank and answer every question, never saying "not in the article" (for measuring ranking alone). Default: false. */
  answerAll?: boolean;
  /** Orders the candidates. Default: the linear re-ranker with the trained weights. */
  reranker?: Reranker;
  /** How many of MiniSearch's best results the re-ranker looks at. Default: 20. */
  candidates?: number;
  /** Expand questions with WordNet synonyms and derived forms. Default: true. */
  synonyms?: boolean;
  /** BM25 term saturation (k) and length normalisation (b). Default: the pair chosen with the trained weights. */
  bm25?: { k: number; b: number };
  /** Pretrained word vectors; null for none. Default: the install's table, if built. */
  wordVectors?: WordVectors | null;
  /** Which uses of word meaning are on. Default: all. */
  meaning?: MeaningUses;
}

export const ENGINE_DEFAULTS: Readonly<Required<EngineOptions>> = {
  answerability: TRAINED_ANSWERABILITY,
  answerAll: false,
  reranker: new LinearReranker(),
  candidates: 20,
  synonyms: true,
  bm25: TRAINED_BM25,
  get wordVectors() {
    return sharedWordVectors();
  },
  meaning: { neighbours: true, coverage: true },
};

/** Options for one question. */
export interface QuestionOptions {
  /**
   * Paragraphs the asker is discussing (a thread about ¶N: ¶N and its
   * neighbours): those that match the question at all come first, best first.
   * Whether the article answers the question, and the order of the other
   * passages, stay as they would be without it.
   */
  prefer?: PreferredParagraphs;
}

/** Share of a thread question's weight one sentence of the thread's paragraphs must cover (near matches counting in part). */
const THREAD_COVERAGE = 0.3;

/**
 * "How many …", "how much …", "what percentage …" as the question's own
 * opening: a question whose answer is a quantity ("which countries agreed to
 * limit how much they pump" asks for names).
 */
const ASKS_FOR_QUANTITY = /^\W*(?:(?:and|so|but|then)\s+)?(?:how (?:many|much)\b|(?:what|which) (?:number|percentage|percent|proportion|share|amount)\b)/i;
/** A quantity in a sentence: digits, or a number written out. */
const QUANTITY =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|single|double|twice|thrice|percent)\b/i;

/** Names are looked for in a question's first characters only (the engine reads no more of it either). */
const MAX_NAME_SCAN = 1_000;

export function asksForQuantity(question: string): boolean {
  return ASKS_FOR_QUANTITY.test(question);
}

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
/** Years and days of a month are dates, not the quantity asked for. */
const DATES = new RegExp(`\\b(?:1[5-9]|20)\\d\\d\\b|\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+${MONTH}\\b`, 'g');

/** Whether a text names a quantity: a number or a quantifier, dates aside. */
export function namesQuantity(text: string): boolean {
  return QUANTITY.test(text.replace(DATES, ' '));
}

export class Engine {
  private readonly index: ParagraphIndex;
  private readonly analyser: QuestionAnalyser;
  private readonly reranker: Reranker;
  /** Undefined when every question is answered. */
  private readonly answerability: AnswerabilityModel | undefined;
  private readonly candidateCount: number;

  constructor(articles: readonly Article[], options: EngineOptions = {}) {
    const vectors = options.wordVectors === undefined ? ENGINE_DEFAULTS.wordVectors : options.wordVectors;
    this.index = new ParagraphIndex(articles, options.bm25 ?? ENGINE_DEFAULTS.bm25, vectors);
    this.analyser = new QuestionAnalyser(this.index, articles, { synonyms: options.synonyms ?? ENGINE_DEFAULTS.synonyms, meaning: options.meaning ?? ENGINE_DEFAULTS.meaning });
    this.reranker = options.reranker ?? ENGINE_DEFAULTS.reranker;
    this.answerability = (options.answerAll ?? ENGINE_DEFAULTS.answerAll) ? undefined : (options.answerability ?? ENGINE_DEFAULTS.answerability);
    this.candidateCount = options.candidates ?? ENGINE_DEFAULTS.candidates;
  }

  /** Inverse document frequency (BM25 form); a term the index never saw weighs the most. */
  idf(term: string): number {
    return this.index.idf(term);
  }

  /** Ranks the article's passages for a question and picks the answer sentences. */
  search(question: string, options: QuestionOptions = {}): SearchOutcome {
    const analysed = this.analyser.analyse(question);
    const preferred = options.prefer === undefined ? undefined : isPreferred(options.prefer);
    const ranked = this.rank(analysed, preferred);
    // The gate judges the best of the usual candidates: a preference reorders passages, it never decides whether the article answers.
    const best = preferred === undefined ? ranked[0] : ranked.find(({ candidate }) => candidate.rank < this.candidateCount);
    const features = best === undefined || this.answerability === undefined ? undefined : answerabilityFeatures(analysed, best.candidate, this.index);
    const answered =
      (best !== undefined && (this.answerability === undefined || isAnswerable(this.answerability, features as number[]))) ||
      (preferred !== undefined && this.answersInThread(ranked, preferred));
    const confidence = answered ? 'high' : features !== undefined && isAboutSubject(features) ? 'low' : 'none';
    if (confidence === 'none') {
      return { question, concepts: analysed.concepts, answered: false, confidence, passages: [], answer: [] };
    }
    const ordered = preferred === undefined ? ranked : preferredFirst(ranked, preferred, this.index);
    const passages = ordered.map((scored) => rankedPassage(scored, this.index));
    // A low-confidence outcome quotes no answer sentence: its passages are only the closest the article has.
    const answer = answered ? pickAnswerSentences(passages, { wantsReason: asksForReason(question), asksWhy: asksWhy(question) }) : [];
    // "How many troops …?" where neither the answer nor its paragraph names any quantity is not answered: the closest passages, said so.
    const noQuantity = asksForQuantity(question) && !answer.some((sentence) => namesQuantity(sentence.text)) && !namesQuantity(passages[0]?.paragraph.text ?? '');
    // "What did Novak say about the oil freeze?" asks about someone the text never names: its passages are only the closest.
    if (answered && (noQuantity || this.namesWhatTheTextLacks(analysed, question))) {
      return { question, concepts: analysed.concepts, answered: false, confidence: 'low', passages, answer: [] };
    }
    return { question, concepts: analysed.concepts, answered, confidence, passages, answer };
  }

  /**
   * Whether the question names someone or something (a capitalised word, not
   * the first, that no dictionary knows) that the text never mentions: "Novak" in a text that
   * names only Iran's oil minister. A misspelt name the text has ("Velayatti")
   * is mentioned; a word near in meaning is not the name.
   */
  private namesWhatTheTextLacks(analysed: AnalysedQuestion, question: string): boolean {
    const capitalised = new Set([...question.slice(0, MAX_NAME_SCAN).matchAll(/(?<=\s)\p{Lu}\p{Ll}+/gu)].map((match) => match[0].toLowerCase()));
    return analysed.concepts.some(
      (concept, i) =>
        analysed.wordKinds[i] === 'name' && capitalised.has(concept.word) && !concept.alternatives.some((alternative) => !alternative.near && this.index.knows(alternative.term)),
    );
  }

  /**
   * A question asked while discussing a paragraph is about that paragraph
   * unless it says otherwise: "which explanation is more likely?" is answered
   * from the paragraph and its neighbours when one of their sentences covers
   * enough of the question, counting words close in meaning.
   */
  private answersInThread(ranked: readonly ScoredCandidate[], preferred: (paragraph: Paragraph) => boolean): boolean {
    return ranked.some(({ candidate }) => preferred(this.index.entry(candidate.id).paragraph) && candidate.features.meaningSentence >= THREAD_COVERAGE);
  }

  /** The answerability features of the best passage (undefined when nothing matches), for training that model. */
  answerabilityFeaturesOf(question: string): number[] | undefined {
    const analysed = this.analyser.analyse(question);
    const best = this.rank(analysed)[0];
    return best === undefined ? undefined : answerabilityFeatures(analysed, best.candidate, this.index);
  }

  /** Every candidate's features, for training the re-ranker on questions with known answers. */
  candidateFeatures(question: string): TrainingCandidate[] {
    const analysed = this.analyser.analyse(question);
    return retrieveCandidates(analysed, this.index, this.candidateCount).map((candidate) => ({
      paragraph: this.index.entry(candidate.id).paragraph,
      features: featureVector(candidate.features),
    }));
  }

  /** Candidates best first; the preferred paragraphs among all matches join the usual ones. */
  private rank(analysed: AnalysedQuestion, preferred?: (paragraph: Paragraph) => boolean): ScoredCandidate[] {
    return rankCandidates(retrieveCandidates(analysed, this.index, this.candidateCount, preferred), this.reranker, this.index);
  }
}
