/**
 * What every importer produces, and the clean-up every imported paragraph
 * gets: one normal form, no invisible characters, single spaces.
 */
import { displaySafe } from '../reply/sanitize.ts';

export interface ImportedText {
  title?: string;
  author?: string;
  date?: string;
  /** The web address it came from, when it came from one. */
  source?: string;
  paragraphs: string[];
}

/**
 * Control, format and other invisible characters are dropped as everywhere
 * Footnote shows text (they hide in quotations and spoof text), keeping the
 * joiner emoji sequences need; every run of white space becomes one space.
 */
export function cleanParagraph(text: string): string {
  return displaySafe(text.normalize('NFC').replace(/[\t\n\r\v\f]/g, ' '))
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A paragraph worth keeping: it has a letter or a digit once cleaned. */
export function keptParagraphs(paragraphs: Iterable<string>): string[] {
  return [...paragraphs].map(cleanParagraph).filter((paragraph) => /[\p{L}\p{N}]/u.test(paragraph));
}
