/**
 * The evidence a passage offers for a question, as one named record per
 * candidate that a re-ranker weighs (the linear one's weights are in
 * src/answer/ranker-weights.json, trained by tools/train-ranker.ts).
 */
import type { Concept } from './concepts.ts';
import type { ParagraphEvidence, SentenceEvidence } from '../language/evidence.ts';
import type { AnalysedQuestion } from './question-analysis.ts';

/** The features, in the order of the vectors the linear re-ranker and its training read. */
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
  'meaningSentence', // the best sentence's coverage counting words close in meaning (word vectors) as part matches
  'meaningWindow', // the same for the best two adjacent sentences
  'meaningParagraph', // the same for the whole paragraph
  'vectorSentence', // cosine of the question's rarity-weighted word vectors and the closest sentence's
  'vectorParagraph', // the same for the whole paragraph
  'meaningSentenceRelative', // meaningSentence relative to the best candidate's
  'meaningSentenceBm25', // sentenceBm25 counting words close in meaning as part matches, relative to the best candidate's
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** One candidate's features by name: a feature is named in FEATURE_NAMES and computed in ownFeatures or relativeFeatures. */
export type CandidateFeatures = Record<FeatureName, number>;

/** A candidate's features as a vector in FEATURE_NAMES order: the one place names become positions. */
export function featureVector(features: CandidateFeatures): number[] {
  return FEATURE_NAMES.map((name) => features[name]);
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

/** The features scaled by the question's best candidate: known once every candidate is. */
type RelativeFeature = 'bm25' | 'coverageRelative' | 'sentenceRelative' | 'sentenceBm25' | 'meaningSentenceRelative' | 'meaningSentenceBm25';

/** One candidate's features that need no other candidate, and the raw scores its relative features scale. */
export interface OwnFeatures {
  features: Omit<CandidateFeatures, RelativeFeature>;
  /** MiniSearch's score. */
  bm25: number;
  /** The best sentence's BM25, and the same with words close in meaning as part matches. */
  sentenceBm25: number;
  meaningSentenceBm25: number;
}

/** What retrieval knows of a candidate before its features. */
export interface CandidateMatch {
  /** MiniSearch's score and rank (0 = best). */
  bm25: number;
  rank: number;
  coverage: number;
  matchedTerms: ReadonlySet<string>;
  sentences: SentenceScore[];
  /** Coverage by meaning of the best sentence, best two adjacent sentences and the paragraph. */
  meaning: MeaningCoverage;
}

export function ownFeatures(question: AnalysedQuestion, evidence: ParagraphEvidence, match: CandidateMatch, averageSentenceLength: number): OwnFeatures {
  const { sentences } = match;
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
    bm25: match.bm25,
    sentenceBm25: bestBm25,
    meaningSentenceBm25: match.meaning.sentenceBm25,
    features: {
      reciprocalRank: 1 / (1 + match.rank),
      coverage: match.coverage,
      sentence: best?.coverage ?? 0,
      window,
      pairs: pairShare(question, evidence.pairs),
      sentencePairs: bestSentence ? pairShare(question, bestSentence.pairs) : 0,
      answersNumber: bestSentence ? holdsNumber(question, bestSentence) : 0,
      answersName: bestSentence ? holdsName(question, bestSentence) : 0,
      weightedPairs: weightedPairShare(question, evidence.pairs),
      uncovered: uncovered(question, match.matchedTerms),
      secondSentence: second,
      meaningSentence: match.meaning.sentence,
      meaningWindow: match.meaning.window,
      meaningParagraph: match.meaning.paragraph,
      vectorSentence: match.meaning.vectorSentence,
      vectorParagraph: match.meaning.vectorParagraph,
    },
  };
}

export interface MeaningCoverage {
  sentence: number;
  window: number;
  paragraph: number;
  vectorSentence: number;
  vectorParagraph: number;
  /** The best sentence's BM25 with each concept's credit in place of its best alternative's weight. */
  sentenceBm25: number;
}

/** Where the index's meaning keeps one paragraph: its sentences as term ids and as vectors, and its own vector. */
export interface ParagraphMeaning {
  sentenceTerms: readonly Int32Array[];
  sentenceVectors: readonly Float32Array[];
  paragraphVector: Float32Array;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}

/**
 * Coverage where a concept counts as far as its best alternative in the text
 * or, if more, as far as its nearest word in meaning (nearMatchCredit). With
 * no word vectors it is the plain coverage. `sentenceTerms` are the
 * paragraph's sentences as term ids of the index's meaning.
 */
export function meaningCoverage(question: AnalysedQuestion, evidence: ParagraphEvidence, paragraphMeaning: ParagraphMeaning | undefined, averageSentenceLength: number): MeaningCoverage {
  const { concepts, conceptWeights, totalWeight, meaning, vector } = question;
  const sentenceTerms = paragraphMeaning?.sentenceTerms;
  let vectorSentence = 0;
  if (vector && paragraphMeaning) for (const sentence of paragraphMeaning.sentenceVectors) vectorSentence = Math.max(vectorSentence, dot(vector, sentence));
  const vectorParagraph = vector && paragraphMeaning ? Math.max(0, dot(vector, paragraphMeaning.paragraphVector)) : 0;
  if (totalWeight === 0) return { sentence: 0, window: 0, paragraph: 0, vectorSentence, vectorParagraph, sentenceBm25: 0 };
  let bm25Best = 0;
  const best = new Float64Array(concepts.length);
  let previous: Float64Array | undefined;
  let sentenceBest = 0;
  let windowBest = 0;
  evidence.sentences.forEach((sentence, s) => {
    const credits = new Float64Array(concepts.length);
    let own = 0;
    let joined = 0;
    let bm25 = 0;
    const norm = SENTENCE_K * (1 - SENTENCE_B + (SENTENCE_B * sentence.length) / averageSentenceLength);
    for (let i = 0; i < concepts.length; i++) {
      let credit = 0;
      let tf = 1;
      for (const alternative of (concepts[i] as Concept).alternatives) {
        if (alternative.weight > credit && sentence.terms.has(alternative.term)) {
          credit = alternative.weight;
          tf = sentence.counts.get(alternative.term) ?? 1;
        }
      }
      const ids = sentenceTerms?.[s];
      if (credit < 1 && meaning !== undefined && ids !== undefined) {
        const near = meaning.bestCredit(i, ids);
        if (near > credit) {
          credit = near;
          tf = 1;
        }
      }
      bm25 += ((credit * tf * (SENTENCE_K + 1)) / (tf + norm)) * (conceptWeights[i] as number);
      credits[i] = credit;
      const weight = conceptWeights[i] as number;
      own += credit * weight;
      joined += Math.max(credit, previous?.[i] ?? 0) * weight;
      best[i] = Math.max(best[i] as number, credit);
    }
    sentenceBest = Math.max(sentenceBest, own);
    bm25Best = Math.max(bm25Best, bm25);
    windowBest = Math.max(windowBest, joined);
    previous = credits;
  });
  let paragraph = 0;
  for (let i = 0; i < concepts.length; i++) paragraph += (best[i] as number) * (conceptWeights[i] as number);
  return { sentence: sentenceBest / totalWeight, window: windowBest / totalWeight, paragraph: paragraph / totalWeight, vectorSentence, vectorParagraph, sentenceBm25: bm25Best / totalWeight };
}

/**
 * Every candidate's full features, the relative ones scaled by the best of
 * `reference` (the candidates themselves unless told otherwise).
 */
export function relativeFeatures(candidates: readonly OwnFeatures[], reference: readonly OwnFeatures[] = candidates): CandidateFeatures[] {
  const max = (pick: (own: OwnFeatures) => number) => Math.max(1e-9, ...reference.map(pick));
  const topBm25 = max((c) => c.bm25);
  const topCoverage = max((c) => c.features.coverage);
  const topSentence = max((c) => c.features.sentence);
  const topSentenceBm25 = max((c) => c.sentenceBm25);
  const topMeaning = max((c) => c.features.meaningSentence);
  const topMeaningBm25 = max((c) => c.meaningSentenceBm25);
  // The own features spread last: V8 builds `{ ...own, more }` some forty times slower, and this runs for every candidate.
  return candidates.map(({ features, bm25, sentenceBm25, meaningSentenceBm25 }) => ({
    bm25: bm25 / topBm25,
    coverageRelative: features.coverage / topCoverage,
    sentenceRelative: features.sentence / topSentence,
    sentenceBm25: sentenceBm25 / topSentenceBm25,
    meaningSentenceRelative: features.meaningSentence / topMeaning,
    meaningSentenceBm25: meaningSentenceBm25 / topMeaningBm25,
    ...features,
  }));
}
