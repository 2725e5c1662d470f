/**
 * One compromise parse per paragraph, shared by /who (people.ts) and the quiz
 * bank (quiz-terms.ts): its tokens with their tags and offsets, the runs of
 * them compromise reads as people, and its sentences. Kept per paragraph
 * object, so a library parses each paragraph once however many features ask.
 */
import nlp from 'compromise';
import type { Paragraph } from '../corpus/types.ts';
import { splitSentences } from '../language/sentences.ts';

/** One compromise term: its text as written in the paragraph, its tags, and its offsets there. */
export interface Token {
  text: string;
  tags: ReadonlySet<string>;
  start: number;
  end: number;
}

export interface ParsedParagraph {
  paragraph: Paragraph;
  tokens: Token[];
  /** Runs of tokens compromise reads as a person's name. */
  personRuns: Token[][];
  sentences: { text: string; start: number }[];
}

interface CompromiseTerm {
  tags: string[];
  offset: { start: number; length: number };
}

const parsed = new WeakMap<Paragraph, ParsedParagraph>();

export function parseParagraph(paragraph: Paragraph): ParsedParagraph {
  const known = parsed.get(paragraph);
  if (known) return known;
  const { text } = paragraph;
  const doc = nlp(text);
  const options = { offset: true, terms: { offset: true } };
  const tokenOf = (term: CompromiseTerm): Token => ({
    text: text.slice(term.offset.start, term.offset.start + term.offset.length),
    tags: new Set(term.tags),
    start: term.offset.start,
    end: term.offset.start + term.offset.length,
  });
  const tokens = (doc.json(options) as { terms: CompromiseTerm[] }[]).flatMap((sentence) => sentence.terms.map(tokenOf));
  const byStart = new Map(tokens.map((token) => [token.start, token]));
  const people = doc.people().json(options) as { terms: CompromiseTerm[] }[];
  const personRuns = people.map((match) => match.terms.flatMap((term) => byStart.get(term.offset.start) ?? []));
  const result = { paragraph, tokens, personRuns, sentences: splitSentences(text) };
  parsed.set(paragraph, result);
  return result;
}
