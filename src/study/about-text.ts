/**
 * Questions about the text itself ("When was this written?", "Who is the
 * author?"): answered from its front matter and, for its date when the front
 * matter gives none, from the latest date it mentions, quoted and cited, never
 * guessed.
 */
import type { Article } from '../corpus/types.ts';
import { formatEventDate } from './event-date.ts';
import type { TimelineEvent } from './timeline.ts';

const ASKS_WHEN = /\b(?:when|date|dated|year|how old|how recent|published)\b/i;
const ASKS_WHO = /\b(?:who|author|authors|wrote|writer)\b/i;

/** "Mark N. Katz" → "Katz". */
export function surname(author: string): string {
  return author.trim().split(/\s+/).at(-1) ?? author;
}

export interface AboutTheText {
  lines: string[];
  /** The paragraph a quoted date comes from, when one is quoted. */
  cited?: TimelineEvent;
}

/** What the text says of itself, for a question about it. `events` are its dated events in date order. */
export function aboutTheText(question: string, article: Article, events: readonly TimelineEvent[]): AboutTheText {
  const lines = [`“${article.title}” by ${article.author}.`];
  let cited: TimelineEvent | undefined;
  if (ASKS_WHEN.test(question)) {
    if (article.date) lines.push(`It is dated ${article.date}.`);
    else {
      cited = events.at(-1);
      lines.push(
        cited === undefined
          ? 'The article does not say when it was written, and mentions no dates.'
          : `The article does not say when it was written. The latest date it mentions is ${formatEventDate(cited.date)} (“${cited.text}”), in ¶${cited.paragraph.number}: “${cited.sentence}”`,
      );
    }
  }
  if (ASKS_WHO.test(question) && article.paragraphs.some((paragraph) => paragraph.role === 'bio')) {
    lines.push(`/who name:${surname(article.author)} gives the author notes.`);
  }
  lines.push('/about says how many paragraphs it has and how to cite it.');
  return { lines, ...(cited ? { cited } : {}) };
}
