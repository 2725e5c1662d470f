/**
 * Excerpts of long paragraphs and emphasis on the words that matched: a reader
 * sees why a passage was chosen without reading all of it.
 */
import type { Span } from './reply.ts';
import { processTerm, termsOf } from '../language/terms.ts';

/** Paragraphs longer than this are trimmed around their best sentences. */
export const EXCERPT_CHARS = 420;

/** Words, dotted initialisms ("U.S.") and negations ("won't") whole, the way the index reads them. */
const WORD = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:['’ʼ][tT](?![\p{L}\p{N}]))?/gu;

/** Does a word of a passage stand for one of the terms? A negation is two words ("won't" → "will not"). */
function matches(word: string, terms: ReadonlySet<string>): boolean {
  if (!APOSTROPHE.test(word)) {
    // Plain words and initialisms go through the memoised term function: this runs for every word shown.
    const term = processTerm(word);
    return term !== null && terms.has(term);
  }
  return termsOf(word).some((term) => terms.has(term));
}

const APOSTROPHE = /['’ʼ]/;

/** Splits text into spans, emphasising words whose index term is in `terms`. */
export function emphasize(text: string, terms: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  const push = (piece: string, emphasis: boolean) => {
    if (piece.length === 0) return;
    const last = spans.at(-1);
    if (last && Boolean(last.emphasis) === emphasis) last.text += piece;
    else spans.push(emphasis ? { text: piece, emphasis } : { text: piece });
  };
  let cursor = 0;
  for (const match of text.matchAll(WORD)) {
    if (!matches(match[0], terms)) continue;
    push(text.slice(cursor, match.index), false);
    push(match[0], true);
    cursor = match.index + match[0].length;
  }
  push(text.slice(cursor), false);
  return spans;
}

/**
 * The paragraph itself when short; otherwise its best sentences (in reading
 * order, as many as fit), with "…" wherever text was left out.
 */
export function excerpt(paragraph: string, sentences: readonly { text: string; start: number }[], bestFirst: number[], limit = EXCERPT_CHARS): string {
  if (paragraph.length <= limit || sentences.length === 0) return paragraph;
  const chosen = new Set<number>();
  let length = 0;
  for (const index of [...bestFirst, ...sentences.keys()]) {
    const sentence = sentences[index];
    if (!sentence || chosen.has(index)) continue;
    if (chosen.size > 0 && length + sentence.text.length > limit) continue;
    chosen.add(index);
    length += sentence.text.length + 1;
  }
  const order = [...chosen].sort((a, b) => a - b);
  let text = order[0] === 0 ? '' : '… ';
  order.forEach((index, i) => {
    const sentence = sentences[index] as { text: string; start: number };
    if (i > 0) text += index === (order[i - 1] as number) + 1 ? ' ' : ' … ';
    text += sentence.text;
  });
  if (order.at(-1) !== sentences.length - 1) text += ' …';
  return text;
}
