/**
 * The third stage: MiniSearch's best matches for a question's concepts,
 * each with its sentence scores and the re-ranker's features.
 */
import type { Paragraph } from '../corpus/types.ts';
import { coverageOf, meaningCoverage, ownFeatures, relativeFeatures, scoreSentences, type CandidateFeatures, type SentenceScore } from './candidate-features.ts';
import type { IndexMatch, ParagraphIndex } from './paragraph-index.ts';
import type { AnalysedQuestion } from './question-analysis.ts';

export interface PassageCandidate {
  /** The paragraph's id in the index. */
  id: number;
  /** MiniSearch's rank, 0 = best. */
  rank: number;
  matchedTerms: ReadonlySet<string>;
  coverage: number;
  sentences: SentenceScore[];
  features: CandidateFeatures;
}

/**
 * The `limit` best matches, plus any later match `include` accepts; the
 * later ones are measured against the first `limit`, so they leave those
 * candidates' features as they would be without them.
 */
export function retrieveCandidates(
  question: AnalysedQuestion,
  index: ParagraphIndex,
  limit: number,
  include?: (paragraph: Paragraph) => boolean,
): PassageCandidate[] {
  // The asker's words, aliases, derived forms and spelling fixes search the index; synonyms only count as evidence.
  const weights = new Map<string, number>();
  for (const concept of question.concepts) {
    for (const { term, weight, synonym } of concept.alternatives) if (!synonym) weights.set(term, Math.max(weight * (concept.weight ?? 1), weights.get(term) ?? 0));
  }
  const matches = index.search(weights);
  const wanted: { match: IndexMatch; rank: number }[] = [];
  for (let rank = 0; rank < matches.length && (rank < limit || include); rank++) {
    const match = matches[rank] as IndexMatch;
    if (rank < limit || include?.(index.entry(match.id).paragraph)) wanted.push({ match, rank });
  }
  const candidates = wanted.map(({ match, rank }) => {
    const entry = index.entry(match.id);
    const matchedTerms = new Set(match.terms);
    const coverage = coverageOf(question, matchedTerms);
    const sentences = scoreSentences(question, entry);
    const meaning = meaningCoverage(question, entry, question.meaning === undefined ? undefined : index.meaning?.paragraph(match.id), index.averageSentenceLength);
    const own = ownFeatures(question, entry, { bm25: match.score, rank, coverage, matchedTerms, sentences, meaning }, index.averageSentenceLength);
    return { id: match.id, rank, matchedTerms, coverage, sentences, own };
  });
  const owns = candidates.map((candidate) => candidate.own);
  const features = relativeFeatures(owns, owns.slice(0, limit));
  return candidates.map(({ own: _own, ...candidate }, i) => ({ ...candidate, features: features[i] as CandidateFeatures }));
}
