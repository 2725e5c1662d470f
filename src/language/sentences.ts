/** Sentence boundaries from the platform's Unicode segmenter (ICU rules, abbreviation-aware). */

export interface Sentence {
  text: string;
  /** Offset of the sentence's first character in its paragraph. */
  start: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * ICU breaks after a capital initial followed by a capitalised word
 * ("Mark N. Katz", "the U.S. Congress"); a sentence never ends on one here.
 */
const ENDS_WITH_INITIAL = /(?:^|[\s.])\p{Lu}\.$/u;

/** The sentences of a paragraph, trimmed, each a verbatim substring of it. */
export function splitSentences(paragraph: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const { segment, index } of segmenter.segment(paragraph)) {
    const leading = segment.length - segment.trimStart().length;
    const text = segment.trim();
    if (text.length === 0) continue;
    const previous = sentences.at(-1);
    if (previous && ENDS_WITH_INITIAL.test(previous.text)) {
      previous.text = paragraph.slice(previous.start, index + leading + text.length);
    } else {
      sentences.push({ text, start: index + leading });
    }
  }
  return sentences;
}
