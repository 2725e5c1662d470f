/**
 * The evidence a passage offers for a question, as numbers a linear ranker
 * weighs (src/search/ranker-weights.json, trained by tools/train-ranker.ts).
 */
import type { Concept, AnswerKind } from './query.ts';
import type { ParagraphEvidence, SentenceEvidence } from './evidence.ts';
import type { WordKind } from './wordnet.ts';

export const FEATURE_NAMES = [
  'bm25', // MiniSearch's BM25 score, relative to the best candidate's
  'reciprocalRank', // 1 / (1 + MiniSearch's rank)
  'coverage', // share of the question's weight the paragraph covers
  'coverageRelative', // the same, relative to the best candidate's
  'sentence', // the best single sentence's coverage
  'sentenceRelative', // the same, relative to the best candidate's
  'window', // the best two adjacent sentences' coverage
  'sentenceBm25', // BM25 of the best sentence (sentences as documents), relative to the best candidate's
  'pairs', // share of the question's adjacent word pairs found adjacent in the paragraph
  'sentencePairs', // the same within the best sentence
  'answersNumber', // a "when"/"how many" question, and the best sentence holds a number or month the question does not give
  'answersName', // a "who" question, and the best sentence holds a capitalised name the question does not give
  'weightedPairs', // pairs found, each weighted by its words' rarity
  'uncovered', // the heaviest question word the paragraph lacks, relative to the heaviest question word
  'secondSentence', // the second-best sentence's coverage (evidence spread over the paragraph)
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** A question, analysed once and shared by every candidate's features. */
export interface AnalysedQuestion {
  concepts: Concept[];
  /** Rarity weight of each concept (the asker's own word). */
  conceptWeights: number[];
  totalWeight: number;
  /** Adjacent pairs of the question's own terms. */
  pairs: ReadonlySet<string>;
  /** The same pairs with the sum of their two words' weights. */
  pairWeights: ReadonlyMap<string, number>;
  kind: AnswerKind;
  /** Lower-cased words of the question, to tell a new name from one the asker gave. */
  words: ReadonlySet<string>;
  /** Per concept, 1 for a word with one sense (or a name), less for everyday words with many. */
  specificity: number[];
  /** Per concept, what kind of word it is: a subject is named by a noun or a name, never by "so", "not" or "indeed". */
  wordKinds: WordKind[];
}

/** Share of the question's weight that a set of terms covers, each concept at its best alternative. */
export function coverageOf(question: AnalysedQuestion, terms: ReadonlySet<string> | ReadonlyMap<string, number>): number {
  if (question.totalWeight === 0) return 0;
  const { concepts, conceptWeights } = question;
  let covered = 0;
  // Plain loops: this runs for every sentence of every candidate, per question.
  for (let i = 0; i < concepts.length; i++) {
    const alternatives = (concepts[i] as Concept).alternatives;
    let best = 0;
    for (let j = 0; j < alternatives.length; j++) {
      const alternative = alternatives[j] as Concept['alternatives'][number];
      if (alternative.weight > best && terms.has(alternative.term)) best = alternative.weight;
    }
    covered += best * (conceptWeights[i] as number);
  }
  return covered / question.totalWeight;
}

/** BM25 saturation for sentences: short documents, so a repeated word adds little. */
const SENTENCE_K = 1.2;
const SENTENCE_B = 0.75;

/** BM25 of one sentence, each concept at its best alternative, over the question's total weight. */
export function sentenceBm25(question: AnalysedQuestion, sentence: SentenceEvidence, averageLength: number): number {
  if (question.totalWeight === 0) return 0;
  const norm = SENTENCE_K * (1 - SENTENCE_B + (SENTENCE_B * sentence.length) / averageLength);
  const { concepts, conceptWeights } = question;
  let score = 0;
  for (let i = 0; i < concepts.length; i++) {
    let best = 0;
    for (const { term, weight } of (concepts[i] as Concept).alternatives) {
      const tf = sentence.counts.get(term);
      if (tf !== undefined) best = Math.max(best, (weight * tf * (SENTENCE_K + 1)) / (tf + norm));
    }
    score += best * (conceptWeights[i] as number);
  }
  return score / question.totalWeight;
}

function pairShare(question: AnalysedQuestion, pairs: ReadonlySet<string>): number {
  if (question.pairs.size === 0) return 0;
  let found = 0;
  for (const pair of question.pairs) if (pairs.has(pair)) found += 1;
  return found / question.pairs.size;
}

function weightedPairShare(question: AnalysedQuestion, pairs: ReadonlySet<string>): number {
  let found = 0;
  let total = 0;
  for (const [pair, weight] of question.pairWeights) {
    total += weight;
    if (pairs.has(pair)) found += weight;
  }
  return total === 0 ? 0 : found / total;
}

/** The heaviest concept with no alternative in the terms, relative to the heaviest concept. */
function uncovered(question: AnalysedQuestion, terms: ReadonlySet<string>): number {
  let heaviest = 0;
  let missing = 0;
  question.concepts.forEach((concept, i) => {
    const weight = question.conceptWeights[i] ?? 0;
    heaviest = Math.max(heaviest, weight);
    if (!concept.alternatives.some((alternative) => terms.has(alternative.term))) missing = Math.max(missing, weight);
  });
  return heaviest === 0 ? 0 : missing / heaviest;
}

/** Does the set hold a word the question does not? (A loop: this runs per sentence per candidate.) */
function holdsNew(words: ReadonlySet<string>, question: AnalysedQuestion): boolean {
  for (const word of words) if (!question.words.has(word)) return true;
  return false;
}

function holdsNumber(question: AnalysedQuestion, sentence: SentenceEvidence): number {
  return question.kind === 'number' && holdsNew(sentence.numbers, question) ? 1 : 0;
}

function holdsName(question: AnalysedQuestion, sentence: SentenceEvidence): number {
  return question.kind === 'name' && holdsNew(sentence.names, question) ? 1 : 0;
}

function holdsAnswerKind(question: AnalysedQuestion, sentence: SentenceEvidence): number {
  return holdsNumber(question, sentence) + holdsName(question, sentence);
}

export interface SentenceScore {
  index: number;
  coverage: number;
  /** Coverage plus small bonuses for word pairs and the kind of answer asked for: picks answer sentences. */
  score: number;
}

/** Bonuses that break ties between sentences covering the same words. */
const SENTENCE_PAIR_BONUS = 0.15;
const SENTENCE_KIND_BONUS = 0.1;

export function scoreSentences(question: AnalysedQuestion, evidence: ParagraphEvidence): SentenceScore[] {
  return evidence.sentences.map((sentence, index) => {
    const coverage = coverageOf(question, sentence.terms);
    const bonus = coverage > 0 ? SENTENCE_PAIR_BONUS * pairShare(question, sentence.pairs) + SENTENCE_KIND_BONUS * holdsAnswerKind(question, sentence) : 0;
    return { index, coverage, score: coverage + bonus };
  });
}

/** Features of one candidate, before the ones relative to the other candidates. */
interface OwnFeatures {
  bm25: number;
  rank: number;
  coverage: number;
  sentence: number;
  window: number;
  sentenceBm25: number;
  pairs: number;
  sentencePairs: number;
  answersNumber: number;
  answersName: number;
  weightedPairs: number;
  uncovered: number;
  secondSentence: number;
}

export function ownFeatures(
  question: AnalysedQuestion,
  evidence: ParagraphEvidence,
  bm25: number,
  rank: number,
  coverage: number,
  matchedTerms: ReadonlySet<string>,
  sentences: SentenceScore[],
  averageSentenceLength: number,
): OwnFeatures {
  let best: SentenceScore | undefined;
  let second = 0;
  for (const sentence of sentences) {
    if (!best || sentence.score > best.score) {
      second = best?.coverage ?? 0;
      best = sentence;
    } else second = Math.max(second, sentence.coverage);
  }
  let window = best?.coverage ?? 0;
  let bestBm25 = 0;
  evidence.sentences.forEach((sentence, i) => {
    bestBm25 = Math.max(bestBm25, sentenceBm25(question, sentence, averageSentenceLength));
    const joined = evidence.windows[i - 1];
    if (joined && (sentences[i]?.coverage ?? 0) > 0 && (sentences[i - 1]?.coverage ?? 0) > 0) window = Math.max(window, coverageOf(question, joined));
  });
  const bestSentence = best === undefined ? undefined : evidence.sentences[best.index];
  return {
    bm25,
    rank,
    coverage,
    sentence: best?.coverage ?? 0,
    window,
    sentenceBm25: bestBm25,
    pairs: pairShare(question, evidence.pairs),
    sentencePairs: bestSentence ? pairShare(question, bestSentence.pairs) : 0,
    answersNumber: bestSentence ? holdsNumber(question, bestSentence) : 0,
    answersName: bestSentence ? holdsName(question, bestSentence) : 0,
    weightedPairs: weightedPairShare(question, evidence.pairs),
    uncovered: uncovered(question, matchedTerms),
    secondSentence: second,
  };
}

/** The feature vectors of all candidates of one question, in FEATURE_NAMES order. */
export function featureVectors(candidates: OwnFeatures[]): number[][] {
  const max = (pick: (own: OwnFeatures) => number) => Math.max(1e-9, ...candidates.map(pick));
  const topBm25 = max((c) => c.bm25);
  const topCoverage = max((c) => c.coverage);
  const topSentence = max((c) => c.sentence);
  const topSentenceBm25 = max((c) => c.sentenceBm25);
  return candidates.map((c) => [
    c.bm25 / topBm25,
    1 / (1 + c.rank),
    c.coverage,
    c.coverage / topCoverage,
    c.sentence,
    c.sentence / topSentence,
    c.window,
    c.sentenceBm25 / topSentenceBm25,
    c.pairs,
    c.sentencePairs,
    c.answersNumber,
    c.answersName,
    c.weightedPairs,
    c.uncovered,
    c.secondSentence,
  ]);
}
