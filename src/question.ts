/** Cleaning what people type before it reaches the engine. */

/** Longest question Footnote reads; Discord's option limit is the same. */
export const MAX_QUESTION_CHARS = 300;

const INVISIBLE = /[\p{Cf}]/gu;
const WHITESPACE = /\s+/gu;

export interface CleanQuestion {
  text: string;
  /** True when the question was longer than MAX_QUESTION_CHARS and was cut. */
  truncated: boolean;
}

/** Drops invisible characters, folds white space and cuts at a word boundary past the limit. */
export function cleanQuestion(raw: string): CleanQuestion {
  const text = raw.replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim();
  if (text.length <= MAX_QUESTION_CHARS) return { text, truncated: false };
  const cut = text.slice(0, MAX_QUESTION_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return { text: (lastSpace > MAX_QUESTION_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trim(), truncated: true };
}
