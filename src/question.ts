/** Cleaning what people type before it reaches the engine. */
import { cutAtWord } from './truncate.ts';

/** Longest question Footnote reads; Discord's option limit is the same. */
export const MAX_QUESTION_CHARS = 300;

const INVISIBLE = /[\p{Cf}]/gu;
const WHITESPACE = /\s+/gu;
/** Chat mention markup (<@123>, <@&123>, <#123>, @everyone, @here) addresses people; it is never part of a question. */
const MENTIONS = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/gu;

export interface CleanQuestion {
  text: string;
  /** True when the question was longer than MAX_QUESTION_CHARS and was cut. */
  truncated: boolean;
}

/** Drops invisible characters and mention markup, folds white space and cuts at a word boundary past the limit. */
export function cleanQuestion(raw: string): CleanQuestion {
  const text = raw.replace(INVISIBLE, '').replace(MENTIONS, ' ').replace(WHITESPACE, ' ').trim();
  if (text.length <= MAX_QUESTION_CHARS) return { text, truncated: false };
  return { text: cutAtWord(text, MAX_QUESTION_CHARS), truncated: true };
}
