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

/**
 * Words that give a reason, a purpose or a recommendation: what a why / how /
 * what-should question asks for, and what a claim alone lacks.
 */
const REASON_MARKERS =
  /\b(?:because|since|due to|owing to|as a result|so that|so as to|in order(?: to)?|thus|therefore|hence|that means|this means|which means|means that|must|should|needs? to|ought to|has to|have to|the reason|by (?:\w+ing)|through)\b|^\W*to \p{L}+/iu;

export function givesReason(sentence: string): boolean {
  return REASON_MARKERS.test(sentence);
}

export interface PickOptions {
  /** The question asks why, how, what for or what should be done: quote the sentence that gives the reason. */
  wantsReason?: boolean;
  /** It asks "why" itself: the sentence after a claim is taken as its explanation even when no word says so. */
  asksWhy?: boolean;
}

export function pickAnswerSentences(passages: readonly RankedPassage[], options: PickOptions = {}): AnswerSentencePick[] {
  const picks = pickBest(passages);
  if (options.wantsReason && passages[0] && picks[0]) return withReason(picks, passages[0], options.asksWhy === true);
  return picks;
}

/**
 * When the best sentence states a claim and a neighbour in the same
 * paragraph gives its reason, the neighbour is quoted second: the claim keeps
 * its place, the reason follows it. A neighbour that says so ("That means…",
 * "To reach such a settlement, Washington must…") wins, the sentence after
 * first; for a "why", otherwise the sentence after, where prose explains what
 * it just claimed ("…are not allies." / "Neither is willing to give up…").
 */
function withReason(picks: AnswerSentencePick[], best: RankedPassage, asksWhy: boolean): AnswerSentencePick[] {
  const first = picks[0] as AnswerSentencePick;
  if (givesReason(first.text)) return picks;
  const index = best.allSentences.findIndex((sentence) => sentence.start === first.start);
  const after = best.allSentences[index + 1];
  const before = index > 0 ? best.allSentences[index - 1] : undefined;
  const neighbour = [after, before].find((candidate) => candidate !== undefined && givesReason(candidate.text)) ?? (asksWhy ? after : undefined);
  if (!neighbour) return picks;
  const reason = { paragraph: best.paragraph, text: neighbour.text, start: neighbour.start };
  const rest = picks.slice(1).filter((pick) => pick.paragraph !== best.paragraph || pick.start !== neighbour.start);
  return [first, reason, ...rest].slice(0, MAX_ANSWER_SENTENCES);
}

function pickBest(passages: readonly RankedPassage[]): AnswerSentencePick[] {
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
