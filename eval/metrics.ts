/** Turns replies into the figures the eval reports. */
import type { EvalQuestion } from './dataset.ts';
import { percentile, round } from './stats.ts';
import type { SystemAnswer } from './systems/types.ts';

/** How one reply did on one question. */
export interface Judgement {
  /** 1-based rank of the gold paragraph, or null when it is not ranked at all. */
  goldRank: number | null;
  /** Whether the answer sentence holds a gold answer; null when the question has no answer text. */
  answerHit: boolean | null;
  rejected: boolean;
  ms: number;
}

export interface SystemFigures {
  r1: number;
  r3: number;
  r5: number;
  mrr: number;
  /** null when no question in the set has an answer text. */
  answer: number | null;
  rejected: number;
  p50_ms: number;
  p99_ms: number;
}

/** Case and spacing do not make an answer wrong: "October 1973" is in "in october  1973". */
function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function containsAnswer(sentence: string | null, answers: readonly string[]): boolean {
  if (sentence === null) return false;
  const haystack = normalize(sentence);
  return answers.some((answer) => haystack.includes(normalize(answer)));
}

export function judge(question: EvalQuestion, response: SystemAnswer, ms: number): Judgement {
  const index = response.ranked.indexOf(question.gold);
  return {
    goldRank: index === -1 ? null : index + 1,
    answerHit: question.answers.length === 0 ? null : containsAnswer(response.answer, question.answers),
    rejected: response.ranked.length === 0,
    ms,
  };
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : round((100 * count) / total, 1);
}

/** `times` defaults to one per judgement; a small set may pass more (the same questions timed again). */
export function summarize(judgements: readonly Judgement[], times: readonly number[] = judgements.map((j) => j.ms)): SystemFigures {
  const n = judgements.length;
  const within = (k: number) => judgements.filter((j) => j.goldRank !== null && j.goldRank <= k).length;
  const reciprocal = judgements.reduce((sum, j) => sum + (j.goldRank === null ? 0 : 1 / j.goldRank), 0);
  const withAnswers = judgements.filter((j) => j.answerHit !== null);
  return {
    r1: share(within(1), n),
    r3: share(within(3), n),
    r5: share(within(5), n),
    mrr: n === 0 ? 0 : round(reciprocal / n, 3),
    answer: withAnswers.length === 0 ? null : share(withAnswers.filter((j) => j.answerHit).length, withAnswers.length),
    rejected: share(judgements.filter((j) => j.rejected).length, n),
    p50_ms: round(percentile(times, 50), 3),
    p99_ms: round(percentile(times, 99), 3),
  };
}
