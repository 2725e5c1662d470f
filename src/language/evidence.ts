/**
 * What the engine knows about each paragraph beyond the index: its sentences,
 * their terms, the word pairs they contain, and whether they hold numbers or
 * names. Computed once at index time so a question only looks things up.
 */
import type { Paragraph } from '../corpus/types.ts';
import { splitSentences } from './sentences.ts';
import { termsOf, tokenize } from './terms.ts';

export interface SentenceEvidence {
  text: string;
  start: number;
  terms: ReadonlySet<string>;
  /** How often each term occurs, and how many terms there are: for sentence-level BM25. */
  counts: ReadonlyMap<string, number>;
  length: number;
  /** Adjacent index terms, "a b", stop words skipped. */
  pairs: ReadonlySet<string>;
  /** Number tokens and months: what "when" and "how many" questions ask for. */
  numbers: ReadonlySet<string>;
  /** Lower-cased capitalised words that do not open the sentence: names of people, places, bodies. */
  names: ReadonlySet<string>;
}

export interface ParagraphEvidence {
  paragraph: Paragraph;
  sentences: SentenceEvidence[];
  /** Terms of each two adjacent sentences together (window i joins sentences i and i + 1). */
  windows: ReadonlySet<string>[];
  pairs: ReadonlySet<string>;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'twenty', 'thirty', 'forty', 'fifty'];
const LARGE_NUMBER_WORDS = ['hundred', 'thousand', 'million', 'billion', 'dozen'];
/** Number words capitalised or not; months only capitalised, so "may" the verb is left alone (not "May I…"). */
const eitherCase = (word: string) => `[${word[0]}${word[0]?.toUpperCase()}]${word.slice(1)}`;

/** Digits, months and number words ("Ten players were selected"). */
const NUMBER_OR_MONTH = new RegExp(
  `\\d[\\d,.]*|\\b(?:${[...MONTHS, ...NUMBER_WORDS.map(eitherCase), ...LARGE_NUMBER_WORDS.map((word) => `${eitherCase(word)}s?`)].join('|')})\\b`,
  'g',
);
const CAPITALISED = /(?<=[\s(“"'‘-])\p{Lu}[\p{L}\p{N}]*/gu;

/** Adjacent pairs of a term sequence, "a b". */
export function pairsOf(terms: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}

function sentenceEvidence(text: string, start: number): SentenceEvidence {
  const terms = termsOf(text);
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return {
    text,
    start,
    terms: new Set(terms),
    counts,
    length: terms.length,
    pairs: pairsOf(terms),
    // Tokenised like the question's words, so "2016," and "Erdoğan" compare equal to what the asker typed.
    numbers: new Set([...text.matchAll(NUMBER_OR_MONTH)].flatMap((match) => tokenize(match[0]))),
    names: new Set([...text.matchAll(CAPITALISED)].flatMap((match) => tokenize(match[0]))),
  };
}

export function paragraphEvidence(paragraph: Paragraph): ParagraphEvidence {
  const sentences = splitSentences(paragraph.text).map(({ text, start }) => sentenceEvidence(text, start));
  const pairs = new Set<string>();
  for (const sentence of sentences) for (const pair of sentence.pairs) pairs.add(pair);
  const windows = sentences.slice(1).map((sentence, i) => new Set([...(sentences[i] as SentenceEvidence).terms, ...sentence.terms]));
  return { paragraph, sentences, windows, pairs };
}
