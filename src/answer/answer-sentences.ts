/**
 * The last stage: the answer is one to three verbatim sentences — the best
 * sentence of the best passage, then sentences of the next passages that are
 * nearly as good and cover question words the answer does not cover yet.
 */
import type { Paragraph } from '../corpus/types.ts';
import type { RankedPassage } from './ranking.ts';

export interface AnswerSentencePick {
  paragraph: Paragraph;
  text: string;
  start: number;
}

const MAX_ANSWER_SENTENCES = 3;

/** A follow-up answer sentence must score at least this share of the first one, and cover this much of the question. */
const FOLLOW_UP_SHARE = 0.6;
const FOLLOW_UP_MIN_COVERAGE = 0.4;

export function pickAnswerSentences(passages: readonly RankedPassage[]): AnswerSentencePick[] {
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

/** Does the sentence hold a matched question term the answer does not cover yet? */
function addsMatch(terms: ReadonlySet<string>, matched: ReadonlySet<string>, covered: ReadonlySet<string>): boolean {
  for (const term of terms) if (matched.has(term) && !covered.has(term)) return true;
  return false;
}
