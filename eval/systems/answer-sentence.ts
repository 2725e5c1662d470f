/**
 * The answer sentence for systems that only rank paragraphs. Every peer gets
 * the same picker so their answer hits differ only by the paragraph they rank
 * first: the sentence of that paragraph sharing the most distinct question
 * terms (Porter stems, stop words dropped), the earliest on a tie.
 */
import { plainTerms as termsOf } from './plain-terms.ts';
import type { SystemAnswer } from './types.ts';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function sentencesOf(paragraph: string): string[] {
  return [...segmenter.segment(paragraph)].map(({ segment }) => segment.trim()).filter((sentence) => sentence.length > 0);
}

export function pickAnswerSentence(question: string, paragraph: string): string | null {
  const questionTerms = new Set(termsOf(question));
  let best: string | null = null;
  let bestOverlap = -1;
  for (const sentence of sentencesOf(paragraph)) {
    const overlap = new Set(termsOf(sentence).filter((term) => questionTerms.has(term))).size;
    if (overlap > bestOverlap) {
      best = sentence;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** A peer's answer: its ranking, and the picked sentence of its top paragraph. */
export function answerFromRanking(question: string, ranked: number[], texts: readonly string[]): SystemAnswer {
  const top = ranked[0];
  return { ranked, answer: top === undefined ? null : pickAnswerSentence(question, texts[top] as string) };
}
