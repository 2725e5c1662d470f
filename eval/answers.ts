/**
 * What a reader of the article's question set sees once the ranking is done,
 * measured through the library as the bot answers: how often each kind of
 * question is refused or answered with low confidence, and for why / how /
 * should questions whether the sentence that gives the reason is among the
 * first two quoted.
 */
import type { Library } from '../src/library.ts';
import type { ArticleQuestion } from './dataset.ts';
import { round } from './stats.ts';

export interface KindFigures {
  kind: string;
  questions: number;
  /** Told "not in the article". */
  refused: number;
  /** Answered with "the closest passages" only. */
  lowConfidence: number;
  /** Reason questions: the key sentence among the first two quoted, in percent. */
  reasonHit?: number;
}

function mentions(text: string, snippets: readonly string[]): boolean {
  return snippets.some((snippet) => text.includes(snippet));
}

export function answerFigures(library: Library, questions: readonly ArticleQuestion[]): KindFigures[] {
  const kinds = [...new Set(questions.map((question) => question.kind ?? 'direct'))];
  return kinds.map((kind) => {
    const asked = questions.filter((question) => (question.kind ?? 'direct') === kind);
    let refused = 0;
    let low = 0;
    let hits = 0;
    for (const question of asked) {
      const reply = library.ask(question.question);
      if (reply.kind === 'not-found') refused += 1;
      else if (reply.confidence === 'low') low += 1;
      const firstTwo = reply.answer.slice(0, 2).map((sentence) => sentence.text).join(' ');
      if (question.answerSentences && mentions(firstTwo, question.answerSentences)) hits += 1;
    }
    const withReasons = asked.filter((question) => question.answerSentences !== undefined).length;
    return {
      kind,
      questions: asked.length,
      refused,
      lowConfidence: low,
      ...(withReasons > 0 ? { reasonHit: round((100 * hits) / withReasons, 1) } : {}),
    };
  });
}

export function formatAnswerFigures(figures: readonly KindFigures[]): string {
  const rows = figures.map((row) => `| ${row.kind} | ${row.questions} | ${row.refused} | ${row.lowConfidence} | ${row.reasonHit === undefined ? '—' : `${row.reasonHit} %`} |`);
  return ['| kind | questions | refused | low confidence | reason sentence in first two |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}
