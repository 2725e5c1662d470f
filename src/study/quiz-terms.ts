/**
 * What a fill-in-the-blank quiz may blank in an article, and where: people
 * (from the people module) and places (compromise's place tags), dates (from
 * the timeline), numbers written in digits, and key noun phrases (runs of
 * lower-case adjectives and nouns ending in a noun).
 */
import type { Article, Paragraph } from '../corpus/types.ts';
import { bodyParagraphs } from '../corpus/types.ts';
import { parseParagraph, type Token } from './parse.ts';
import { termsOf } from '../language/terms.ts';
import type { Person } from './people.ts';
import type { EventDate, TimelineEvent } from './timeline.ts';

export type TermKind = 'person' | 'place' | 'date' | 'number' | 'phrase';

/** Something the article names, as it writes it. */
export interface Term {
  kind: TermKind;
  text: string;
  /** What it names: two terms of one group (a name and its surname, a capital and its country) are one answer. */
  group: string;
  /** Every way the article writes the same thing: the answer must not show through anywhere else in its sentence. */
  forms: string[];
  /** The forms and the front matter's aliases: a distractor whose group shows in the sentence is refused. */
  related: string[];
  /** Distractors of the answer's shape come first: a full name for a full name, a day for a day, a plural for a plural. */
  shape: string;
  /** Dates: the days it covers (days since 1970), so a date that overlaps the answer is never a wrong option. */
  span?: { from: number; to: number };
}

/** A term where the article uses it. */
export interface TermAt {
  term: Term;
  paragraph: Paragraph;
  sentence: string;
  /** Offset of the term in the sentence. */
  index: number;
}

export interface TermSources {
  people: readonly Person[];
  timeline: readonly TimelineEvent[];
}

export interface ArticleTerms {
  /** Every blankable occurrence, in reading order within each kind. */
  located: TermAt[];
  /** Every term that may stand as a wrong option, one per distinct text. */
  pool: Term[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Patterns by form: a bank checks the same few dozen forms thousands of times. */
const patterns = new Map<string, RegExp>();

/** Where `form` occurs in `text` as whole words (a possessive "’s" may follow), ignoring case. */
export function occurrencesIn(text: string, form: string): number[] {
  if (form.trim() === '') return [];
  let pattern = patterns.get(form);
  if (pattern === undefined) {
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'giu');
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(form, pattern);
  }
  return [...text.matchAll(pattern)].map((match) => match.index);
}

// ---- compromise tokens ----------------------------------------------------------

interface ParsedSentence {
  paragraph: Paragraph;
  sentence: string;
  /** Offset of the sentence in its paragraph. */
  start: number;
  tokens: Token[];
}

/** One compromise parse per paragraph, its tokens shared out to the sentences. */
function parseBody(article: Article): ParsedSentence[] {
  return bodyParagraphs(article).flatMap((paragraph) => {
    const { tokens, sentences } = parseParagraph(paragraph);
    return sentences.map(({ text, start }) => ({
      paragraph,
      sentence: text,
      start,
      tokens: tokens.filter((token) => token.start >= start && token.end <= start + text.length),
    }));
  });
}

/** Two tokens written side by side with one space between them. */
function adjacent(parsed: ParsedSentence, left: Token, right: Token): boolean {
  return parsed.paragraph.text.slice(left.end, right.start) === ' ';
}

/** Runs of consecutive tokens that each pass `keep`, split where they are not written side by side. */
function runs(parsed: ParsedSentence, keep: (token: Token) => boolean): Token[][] {
  const found: Token[][] = [];
  let current: Token[] = [];
  for (const token of parsed.tokens) {
    const last = current.at(-1);
    if (keep(token) && (last === undefined || adjacent(parsed, last, token))) {
      current.push(token);
      continue;
    }
    if (current.length > 0) found.push(current);
    current = keep(token) ? [token] : [];
  }
  if (current.length > 0) found.push(current);
  return found;
}

function textOf(parsed: ParsedSentence, run: readonly Token[]): string {
  return parsed.paragraph.text.slice((run[0] as Token).start, (run.at(-1) as Token).end);
}

/** A located term: its one occurrence in the sentence, or undefined when any of its forms shows more than once. */
function locate(term: Term, parsed: Pick<ParsedSentence, 'paragraph' | 'sentence'>): TermAt | undefined {
  const at = occurrencesIn(parsed.sentence, term.text);
  if (at.length !== 1) return undefined;
  const index = at[0] as number;
  const end = index + term.text.length;
  const elsewhere = term.forms.some((form) => occurrencesIn(parsed.sentence, form).some((start) => start + form.length <= index || start >= end));
  return elsewhere ? undefined : { term, paragraph: parsed.paragraph, sentence: parsed.sentence, index };
}

// ---- people ------------------------------------------------------------------------

/** A person as a full name and as a surname (the one-word alias the name ends with). */
function personTerms(person: Person): { full: Term; short: Term } {
  const forms = [person.name, ...person.aliases];
  const group = `person:${person.name}`;
  const lastWord = person.name.split(' ').at(-1) ?? person.name;
  const surname = person.aliases.find((alias) => alias === lastWord) ?? person.aliases.find((alias) => !alias.includes(' ')) ?? person.name;
  const term = (text: string, shape: string): Term => ({ kind: 'person', text, group, forms, related: forms, shape });
  return { full: term(person.name, 'full'), short: term(surname, surname === person.name ? 'full' : 'short') };
}

function peopleIn(people: readonly Person[]): ArticleTerms {
  const located: TermAt[] = [];
  const pool: Term[] = [];
  for (const person of people) {
    const { full, short } = personTerms(person);
    pool.push(full, short);
    for (const mention of person.mentions) {
      // The full name where the sentence gives it, else the surname.
      const found = locate(full, mention) ?? (occurrencesIn(mention.sentence, full.text).length === 0 ? locate(short, mention) : undefined);
      if (found) located.push(found);
    }
  }
  return { located, pool };
}

// ---- places ------------------------------------------------------------------------

const PLACE_TAGS = ['City', 'Country', 'Region'];
const POSSESSIVE = /['’]s$/u;

/** The front matter's alias groups by each of their forms (lower-cased): "Holyrood" → Edinburgh and all its aliases. */
function aliasGroups(article: Article): Map<string, { key: string; forms: string[] }> {
  const groups = new Map<string, { key: string; forms: string[] }>();
  for (const [key, values] of Object.entries(article.aliases)) {
    const group = { key, forms: [key, ...values] };
    for (const form of group.forms) groups.set(form.toLowerCase(), group);
  }
  return groups;
}

function placesIn(parsed: readonly ParsedSentence[], article: Article): ArticleTerms {
  const groups = aliasGroups(article);
  const located: TermAt[] = [];
  const pool = new Map<string, Term>();
  const isPlace = (token: Token) =>
    token.tags.has('Place') && !token.tags.has('Hyphenated') && !token.tags.has('Person') && PLACE_TAGS.some((tag) => token.tags.has(tag)) && /^\p{Lu}/u.test(token.text);
  for (const sentence of parsed) {
    for (const run of runs(sentence, isPlace)) {
      const text = textOf(sentence, run).replace(POSSESSIVE, '');
      const alias = groups.get(text.toLowerCase());
      const shape = PLACE_TAGS.find((tag) => run.at(-1)?.tags.has(tag)) ?? 'Place';
      const term: Term = pool.get(text.toLowerCase()) ?? { kind: 'place', text, group: `place:${alias?.key ?? text}`, forms: [text], related: alias?.forms ?? [text], shape };
      pool.set(text.toLowerCase(), term);
      const found = locate(term, sentence);
      if (found) located.push(found);
    }
  }
  return { located, pool: [...pool.values()] };
}

// ---- dates -------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** The days a date covers: one day, a month, or a year. */
function spanOf({ year, month, day }: EventDate): { from: number; to: number } {
  const days = (y: number, m: number, d: number) => Math.round(Date.UTC(y, m, d) / DAY_MS);
  if (month === undefined) return { from: days(year, 0, 1), to: days(year, 11, 31) };
  if (day === undefined) return { from: days(year, month - 1, 1), to: days(year, month, 0) };
  return { from: days(year, month - 1, day), to: days(year, month - 1, day) };
}

/** "day", "month and year", "month", each "qualified" when it reads "early …", "mid-…", "late …". */
function dateShape(event: TimelineEvent): string {
  const qualified = /^(?:early|mid|late)\b/i.test(event.text) ? 'qualified ' : '';
  if (event.date.day !== undefined) return `${qualified}day`;
  return /\d{4}/.test(event.text) ? `${qualified}month and year` : `${qualified}month`;
}

function datesIn(timeline: readonly TimelineEvent[]): ArticleTerms {
  const located: TermAt[] = [];
  const pool = new Map<string, Term>();
  for (const event of timeline) {
    const { year, month, day } = event.date;
    const term: Term = {
      kind: 'date',
      text: event.text,
      group: `date:${year}-${month ?? ''}-${day ?? ''}`,
      forms: [event.text],
      related: [event.text],
      shape: dateShape(event),
      span: spanOf(event.date),
    };
    if (!pool.has(event.text.toLowerCase())) pool.set(event.text.toLowerCase(), term);
    const found = locate(term, event);
    if (found) located.push(found);
  }
  return { located, pool: [...pool.values()] };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAME = new RegExp(`\\b(${MONTHS.join('|')})\\b`);
const YEAR = /\b(1[5-9]\d\d|20\d\d)\b/;
/** A day of the month: one or two digits standing alone (never part of a year). */
const DAY_NUMBER = /\b([12]?\d|3[01])\b/;

/**
 * Dates of the answer's own shape a few days or months away ("March 14" →
 * "March 12", "February 14"; "early March" → "early April"): a text holds few
 * dates, and a wrong option of another shape ("On early February 2016") gives
 * itself away by grammar. They are wrong options only, never quoted; the
 * bank's checks still refuse any that overlap the answer or that the text says.
 */
export function nearbyDates(term: Term): Term[] {
  const month = MONTH_NAME.exec(term.text);
  if (term.kind !== 'date' || !term.span || !month) return [];
  const start = new Date(term.span.from * DAY_MS);
  const year = start.getUTCFullYear();
  const monthIndex = MONTHS.indexOf(month[1] as string);
  const hasYear = YEAR.test(term.text);
  const day = term.shape.endsWith('day') ? DAY_NUMBER.exec(term.text) : null;
  const made: { text: string; span: { from: number; to: number } }[] = [];
  const days = (y: number, m: number, d: number) => Math.round(Date.UTC(y, m, d) / DAY_MS);
  if (day) {
    for (const delta of [-3, -2, -1, 1, 2, 3, 5]) {
      const shifted = Number(day[1]) + delta;
      if (shifted < 1 || shifted > 28) continue;
      made.push({ text: term.text.replace(DAY_NUMBER, String(shifted)), span: { from: days(year, monthIndex, shifted), to: days(year, monthIndex, shifted) } });
    }
  }
  for (const delta of [-2, -1, 1, 2]) {
    const index = monthIndex + delta;
    const shiftedYear = year + Math.floor(index / 12);
    // Without a year in the text, a month across the new year would read as the same year's.
    if (!hasYear && shiftedYear !== year) continue;
    const shiftedMonth = ((index % 12) + 12) % 12;
    const text = term.text.replace(MONTH_NAME, MONTHS[shiftedMonth] as string).replace(YEAR, String(shiftedYear));
    const span = day
      ? { from: days(shiftedYear, shiftedMonth, Number(day[1])), to: days(shiftedYear, shiftedMonth, Number(day[1])) }
      : { from: days(shiftedYear, shiftedMonth, 1), to: days(shiftedYear, shiftedMonth + 1, 0) };
    made.push({ text, span });
  }
  return made
    .filter(({ text }) => text !== term.text)
    .map(({ text, span }) => ({ kind: 'date', text, group: `date:near:${text.toLowerCase()}`, forms: [text], related: [text], shape: term.shape, span }));
}

// ---- numbers -----------------------------------------------------------------------

/** Digits, with thousands separators or decimals, not part of a word ("F-16", "G7"). */
const NUMBER = /(?<![\p{L}\p{N}.,-])\d+(?:[.,]\d+)*(?![\p{L}\p{N}]|[.,]\d)/gu;

function numberShape(text: string, after: string): string {
  if (/^\s*(?:%|per ?cent\b)/iu.test(after)) return 'percentage';
  if (/^(?:1[0-9]|20)\d\d$/.test(text)) return 'year';
  return 'count';
}

/** Numbers in digits that are not part of a date the timeline reads, nor next to a month name. */
function numbersIn(parsed: readonly ParsedSentence[], timeline: readonly TimelineEvent[]): ArticleTerms {
  const located: TermAt[] = [];
  const pool = new Map<string, Term>();
  for (const sentence of parsed) {
    const dates = timeline
      .filter((event) => event.paragraph === sentence.paragraph && event.sentence === sentence.sentence)
      .flatMap((event) => occurrencesIn(sentence.sentence, event.text).map((start) => ({ start, end: start + event.text.length })));
    for (const match of sentence.sentence.matchAll(NUMBER)) {
      const start = match.index;
      const end = start + match[0].length;
      if (dates.some((date) => start < date.end && end > date.start)) continue;
      // A day of a month the timeline did not take ("9 June" in a sentence it skipped) is still a date.
      const at = sentence.tokens.findIndex((candidate) => candidate.start <= sentence.start + start && candidate.end >= sentence.start + end);
      if ([sentence.tokens[at - 1], sentence.tokens[at + 1]].some((neighbour) => neighbour?.tags.has('Month'))) continue;
      const text = match[0];
      const value = Number(text.replaceAll(',', ''));
      const term: Term = { kind: 'number', text, group: `number:${value}`, forms: [text], related: [text], shape: numberShape(text, sentence.sentence.slice(end)) };
      if (!pool.has(text)) pool.set(text, term);
      const found = locate(term, sentence);
      if (found) located.push(found);
    }
  }
  return { located, pool: [...pool.values()] };
}

// ---- noun phrases ------------------------------------------------------------------

/** Tags of words that never belong in a key noun phrase. */
const NOT_IN_PHRASE = ['Pronoun', 'Possessive', 'Determiner', 'Value', 'Date', 'Duration', 'Verb', 'Adverb', 'Comparative', 'Superlative', 'QuestionWord', 'Preposition', 'Conjunction'];
/** Modifiers that point rather than describe: "other ideas", "its own garden". */
const POINTING = new Set(['other', 'own', 'such', 'more', 'most', 'several', 'many', 'various', 'same', 'certain', 'last', 'next', 'first', 'second', 'further']);
const MIN_PHRASE_WORDS = 2;
const MAX_PHRASE_WORDS = 4;

/** A lower-case adjective or noun: written in small letters, so never a name. */
function phraseWord(token: Token): boolean {
  return (
    /^\p{Ll}[\p{Ll}-]*$/u.test(token.text) &&
    (token.tags.has('Noun') || token.tags.has('Adjective')) &&
    !NOT_IN_PHRASE.some((tag) => token.tags.has(tag)) &&
    !POINTING.has(token.text) &&
    termsOf(token.text).length === 1
  );
}

function isNoun(token: Token): boolean {
  return token.tags.has('Noun') && !token.tags.has('Adjective');
}

function phrasesIn(parsed: readonly ParsedSentence[]): ArticleTerms {
  const located: TermAt[] = [];
  const pool = new Map<string, Term>();
  for (const sentence of parsed) {
    for (const run of runs(sentence, phraseWord)) {
      // A phrase ends with its head noun, and keeps its last four words ("new regional water board official" → "regional water board official").
      let end = run.length;
      while (end > 0 && !isNoun(run[end - 1] as Token)) end -= 1;
      const words = run.slice(Math.max(0, end - MAX_PHRASE_WORDS), end);
      if (words.length < MIN_PHRASE_WORDS) continue;
      const text = textOf(sentence, words);
      const head = words.at(-1) as Token;
      const term: Term = pool.get(text.toLowerCase()) ?? { kind: 'phrase', text, group: `phrase:${text.toLowerCase()}`, forms: [text], related: [text], shape: head.tags.has('Plural') ? 'plural' : 'singular' };
      pool.set(text.toLowerCase(), term);
      const found = locate(term, sentence);
      if (found) located.push(found);
    }
  }
  return { located, pool: [...pool.values()] };
}

/** Every blankable term of the article's body, and every term that may stand as a wrong option. */
export function articleTerms(article: Article, sources: TermSources): ArticleTerms {
  const parsed = parseBody(article);
  const parts = [peopleIn(sources.people), placesIn(parsed, article), datesIn(sources.timeline), numbersIn(parsed, sources.timeline), phrasesIn(parsed)];
  return { located: parts.flatMap((part) => part.located), pool: parts.flatMap((part) => part.pool) };
}

const wordsOfTerm = new WeakMap<Term, string[]>();

/** The content words of a term (stemmed): two phrases that share one are too close to tell apart. */
export function contentWords(term: Term): string[] {
  let words = wordsOfTerm.get(term);
  if (words === undefined) {
    words = termsOf(term.text);
    wordsOfTerm.set(term, words);
  }
  return words;
}
