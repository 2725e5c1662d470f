/**
 * The preprocessing a developer would reach for first, frozen here so the
 * peers' figures stay put while Footnote's own term processing improves:
 * MiniSearch's default tokeniser, the stopword package's English list, and
 * Porter stemming. Footnote's extra question words and lemmas are its own.
 */
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOP_WORDS: ReadonlySet<string> = new Set(eng);
const SEPARATORS = /[\n\r\p{Z}\p{P}]+/u;

export function plainTokenize(text: string): string[] {
  return text.split(SEPARATORS).filter((token) => token.length > 0);
}

export function plainProcessTerm(token: string): string | null {
  const word = token.toLowerCase();
  return STOP_WORDS.has(word) ? null : stemmer(word);
}

export function plainTerms(text: string): string[] {
  return plainTokenize(text)
    .map(plainProcessTerm)
    .filter((term): term is string => term !== null);
}
