/**
 * What every importer produces, and the clean-up every imported paragraph
 * gets: one normal form, no invisible characters, single spaces.
 */
export interface ImportedText {
  title?: string;
  author?: string;
  date?: string;
  /** The web address it came from, when it came from one. */
  source?: string;
  paragraphs: string[];
}

const ZERO_WIDTH_JOINER = '\u200D';
/** Controls, format characters, Hangul fillers, Mongolian selectors and the combining grapheme joiner. */
// The Mongolian selectors combine with a letter by design: that is why they are here.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u180B-\u180F\u034F]/gu;

/**
 * Control, format and other default-ignorable characters are dropped (they
 * hide in quotations and spoof text), except the zero-width joiner that emoji
 * sequences need; every run of white space becomes one space.
 */
export function cleanParagraph(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, (char) => (char === ZERO_WIDTH_JOINER ? char : /\s/.test(char) ? ' ' : ''))
    .replace(/[\s\u00A0\u2800]+/gu, ' ')
    .trim();
}

/** A paragraph worth keeping: it has a letter or a digit once cleaned. */
export function keptParagraphs(paragraphs: Iterable<string>): string[] {
  return [...paragraphs].map(cleanParagraph).filter((paragraph) => /[\p{L}\p{N}]/u.test(paragraph));
}
