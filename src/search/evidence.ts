/**
 * What the engine knows about each paragraph beyond the index: its sentences,
 * their terms, the word pairs they contain, and whether they hold numbers or
 * names. Computed once at index time so a question only looks things up.
 */
import type { Paragraph } from '../corpus/types.ts';
import { splitSentences } from './sentences.ts';
import { processTerm, tokenize } from './terms.ts';

export interface SentenceEvidence {
  text: string;
  start: number;
  terms: ReadonlySet<string>;
  /** How often each term occurs, and how many terms there are: for sentence-level BM25. */
  counts: ReadonlyMap<string, number>;
  length: number;
  /** Adjacent index terms, "a b", stop words skipped. */
  pairs: ReadonlySet<string>;
  /** Holds a digit or a month: what "when" and "how many" questions ask for. */
  hasNumber: boolean;
  /** Lower-cased capitalised words that do not open the sentence: names of people, places, bodies. */
  names: ReadonlySet<string>;
}

export interface ParagraphEvidence {
  paragraph: Paragraph;
  sentences: SentenceEvidence[];
  pairs: ReadonlySet<string>;
}

const MONTH = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/;
const CAPITALISED = /(?<=[\s(“"'‘-])\p{Lu}[\p{L}\p{N}]*/gu;

/** Index terms of a text in order, and the set of adjacent pairs among them. */
export function termSequence(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term !== null) terms.push(term);
  }
  return terms;
}

export function pairsOf(terms: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}

function sentenceEvidence(text: string, start: number): SentenceEvidence {
  const terms = termSequence(text);
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return {
    text,
    start,
    terms: new Set(terms),
    counts,
    length: terms.length,
    pairs: pairsOf(terms),
    hasNumber: /\d/.test(text) || MONTH.test(text),
    names: new Set([...text.matchAll(CAPITALISED)].map((match) => match[0].toLowerCase())),
  };
}

export function paragraphEvidence(paragraph: Paragraph): ParagraphEvidence {
  const sentences = splitSentences(paragraph.text).map(({ text, start }) => sentenceEvidence(text, start));
  const pairs = new Set<string>();
  for (const sentence of sentences) for (const pair of sentence.pairs) pairs.add(pair);
  return { paragraph, sentences, pairs };
}
