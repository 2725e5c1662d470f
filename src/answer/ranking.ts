/**
 * The fourth stage: candidates in order — the re-ranker's score, weighed by
 * what the paragraph is — and, when the asker is discussing particular
 * paragraphs, those first.
 */
import type { Paragraph, Role } from '../corpus/types.ts';
import type { SentenceEvidence } from '../language/evidence.ts';
import type { SentenceScore } from './candidate-features.ts';
import type { PassageCandidate } from './candidates.ts';
import type { ParagraphIndex } from './paragraph-index.ts';
import type { Reranker } from './reranker.ts';

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

/** Body paragraphs of one article, by ¶ number: what a discussion of ¶N is about. */
export interface PreferredParagraphs {
  article: string;
  paragraphs: readonly number[];
}

export interface ScoredCandidate {
  candidate: PassageCandidate;
  score: number;
}

/** How much a match counts by what the paragraph is: the author's argument first. */
const ROLE_PRIOR: Record<Role, number> = { body: 1, bio: 0.9, comment: 0.8, byline: 0.6 };

/** Best first; equal scores keep MiniSearch's order. */
export function rankCandidates(candidates: readonly PassageCandidate[], reranker: Reranker, index: ParagraphIndex): ScoredCandidate[] {
  return candidates
    .map((candidate) => ({ candidate, score: reranker.score(candidate.features) * ROLE_PRIOR[index.entry(candidate.id).paragraph.role] }))
    .sort((a, b) => b.score - a.score);
}

export function isPreferred(prefer: PreferredParagraphs): (paragraph: Paragraph) => boolean {
  const numbers = new Set(prefer.paragraphs);
  return (paragraph) => paragraph.role === 'body' && paragraph.article === prefer.article && numbers.has(paragraph.number);
}

/** The preferred passages first, each group keeping its order. */
export function preferredFirst(ranked: readonly ScoredCandidate[], preferred: (paragraph: Paragraph) => boolean, index: ParagraphIndex): ScoredCandidate[] {
  const first: ScoredCandidate[] = [];
  const rest: ScoredCandidate[] = [];
  for (const scored of ranked) (preferred(index.entry(scored.candidate.id).paragraph) ? first : rest).push(scored);
  return [...first, ...rest];
}

export function rankedPassage({ candidate, score }: ScoredCandidate, index: ParagraphIndex): RankedPassage {
  const entry = index.entry(candidate.id);
  return {
    paragraph: entry.paragraph,
    allSentences: entry.sentences,
    score,
    coverage: candidate.coverage,
    matchedTerms: candidate.matchedTerms,
    sentences: candidate.sentences.filter((sentence) => sentence.coverage > 0).sort((a, b) => b.score - a.score || a.index - b.index),
  };
}
