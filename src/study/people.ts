/**
 * The people an article talks about, found by compromise's named-entity
 * tagging and checked against the article's own spelling: who they are, where
 * the article says what they do, and every sentence that mentions them.
 */
import nlp from 'compromise';
import type { Article, Paragraph } from '../corpus/types.ts';
import { bodyParagraphs } from '../corpus/types.ts';
import { parseParagraph, type ParsedParagraph, type Token } from './parse.ts';

export interface PersonMention {
  paragraph: Paragraph;
  sentence: string;
}

export interface Person {
  /** The fullest form the article gives, titles left out ("Maria Lopez"). */
  name: string;
  /** Shorter forms that refer to the same person ("Lopez"). */
  aliases: string[];
  /** The first mention that says who the person is (a title or apposition), else the first mention. */
  identifying: PersonMention;
  /** Who they are in the text's own words, from that mention ("Iranian Oil Minister"), when it says. */
  role?: string;
  /** One entry per sentence naming the person, in reading order. */
  mentions: PersonMention[];
}

/** A role word: compromise tags "President", "Minister", "secretary", "Leader" so. */
const ROLE_TAGS = ['Honorific', 'Actor'];
/** Tags that mark a word as something other than a person's name. */
const NOT_A_NAME = ['Place', 'Country', 'City', 'Region', 'Organization', 'Demonym', 'Acronym', 'Date', 'Month', 'WeekDay', 'Value'];
/**
 * Prepositions of place: "a hotel in Charlotte Amalie" names a place even
 * when compromise's name lists know both words as a first and a last name. A
 * person is rarely the bare object of these ("in Lopez's view" is possessive).
 */
const LOCATIVE = new Set(['in', 'at', 'near', 'inside', 'outside', 'across', 'throughout', 'around']);

const CAPITALISED = /^\p{Lu}/u;
const POSSESSIVE = /['’]s$/u;

function hasAny(tags: ReadonlySet<string>, wanted: readonly string[]): boolean {
  return wanted.some((tag) => tags.has(tag));
}

/**
 * Whether a word, as written, can be part of a name: capitalised ("Lopez"),
 * hyphenated onto a capitalised part ("al-Sisi"), or, inside a name only,
 * a short lower-case particle ("Ludwig van Beethoven").
 */
function isNameWord(word: string, inside: boolean): boolean {
  if (CAPITALISED.test(word)) return true;
  if (/-\p{Lu}/u.test(word)) return true;
  return inside && /^\p{Ll}{1,3}$/u.test(word);
}

/**
 * A term that can go on a name: not a role word, not tagged as a place,
 * people, group or date. compromise tags an owner by what is owned
 * ("Merkel's office" makes "Merkel's" an organisation), so a possessive is
 * not refused for that tag.
 */
function canBeName(token: Token, text: string): boolean {
  if (hasAny(token.tags, ROLE_TAGS)) return false;
  const possessive = token.tags.has('Possessive') || POSSESSIVE.test(text.slice(token.start, token.end + 2));
  return !hasAny(token.tags, NOT_A_NAME) || (possessive && !hasAny(token.tags, NOT_A_NAME.filter((tag) => tag !== 'Organization')));
}

/**
 * Cleans a run of terms into a name, as the source writes it: role words in
 * front go ("President Maria Lopez" → "Maria Lopez"), the name stops
 * at the first term that cannot be part of one and after a possessive, and
 * a possessive ending goes. Every word must look like a name word in the
 * source (see isNameWord). Returns the name, or nothing.
 */
function nameOf(run: readonly Token[], text: string): string | undefined {
  let first = 0;
  while (first < run.length && hasAny(run[first]!.tags, ROLE_TAGS)) first += 1;
  const kept: Token[] = [];
  for (const token of run.slice(first)) {
    if (!canBeName(token, text)) break;
    kept.push(token);
    if (POSSESSIVE.test(text.slice(token.start, token.end + 2))) break;
  }
  const start = kept[0]?.start;
  const end = kept.at(-1)?.end;
  if (start === undefined || end === undefined) return undefined;
  const name = text.slice(start, end).replace(POSSESSIVE, '').replace(/\s+/g, ' ').trim();
  const words = name.split(' ');
  return words.every((word, index) => isNameWord(word, index > 0 && index < words.length - 1)) ? name : undefined;
}

/**
 * Capitalised proper nouns right after a role word ("Oil Minister Arvid
 * Kallaste"): compromise tags them as proper nouns but, not knowing the
 * names, not as a person; the title says they are one.
 */
function titledRuns(text: string, tokens: readonly Token[]): Token[][] {
  const runs: Token[][] = [];
  tokens.forEach((token, index) => {
    if (!hasAny(token.tags, ROLE_TAGS)) return;
    const run: Token[] = [];
    let previous = token;
    for (const next of tokens.slice(index + 1)) {
      const joined = /^\s+$/.test(text.slice(previous.end, next.start));
      if (!joined || !next.tags.has('ProperNoun') || hasAny(next.tags, ROLE_TAGS)) break;
      run.push(next);
      previous = next;
    }
    if (run.length > 0) runs.push(run);
  });
  return runs;
}

/** Words a ruler's name stands before: "the Assad regime", "the Obama administration". */
const RULED = new Set(['regime', 'government', 'administration', 'dynasty', 'family', 'presidency', 'era']);

/**
 * Proper nouns compromise cannot place, standing before a word a ruler's name
 * qualifies ("the Assad regime"): a person, though no list knows the name.
 * Later mentions ("supporting Assad") are then found by the name itself.
 */
function rulerRuns(text: string, tokens: readonly Token[]): Token[][] {
  const runs: Token[][] = [];
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    if (!next || !RULED.has(text.slice(next.start, next.end).toLowerCase())) return;
    if (!token.tags.has('ProperNoun') || hasAny(token.tags, [...NOT_A_NAME, ...ROLE_TAGS, 'Person'])) return;
    if (!/^\s+$/.test(text.slice(token.end, next.start))) return;
    runs.push([token]);
  });
  return runs;
}

interface Occurrence {
  parsed: ParsedParagraph;
  sentence: { text: string; start: number };
  /** Offsets in the paragraph. */
  start: number;
  end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A letter or digit: a name must not begin or end inside a longer word. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Where a form of a name occurs, as written: capitalised, whole words, any
 * spacing between them. The pattern has no Unicode classes (compiling those
 * per name cost more than all the searching); the shared boundary test does.
 */
function occurrencesOf(form: string, parsed: readonly ParsedParagraph[]): Occurrence[] {
  const pattern = new RegExp(form.split(' ').map(escapeRegExp).join('\\s+'), 'g');
  const firstWord = form.split(' ')[0]!;
  const found: Occurrence[] = [];
  for (const paragraph of parsed) {
    const { text } = paragraph.paragraph;
    if (!text.includes(firstWord)) continue;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (WORD_CHARACTER.test(text.charAt(start - 1)) || WORD_CHARACTER.test(text.charAt(end))) continue;
      const sentence = paragraph.sentences.find((candidate) => start >= candidate.start && start < candidate.start + candidate.text.length);
      if (sentence) found.push({ parsed: paragraph, sentence, start, end });
    }
  }
  return found;
}

function overlaps(a: Occurrence, b: Occurrence): boolean {
  return a.parsed === b.parsed && a.start < b.end && b.start < a.end;
}

function isLocative(occurrence: Occurrence): boolean {
  const text = occurrence.parsed.paragraph.text;
  if (POSSESSIVE.test(text.slice(occurrence.end, occurrence.end + 2))) return false;
  const before = /(\p{L}+)\s+$/u.exec(text.slice(occurrence.sentence.start, occurrence.start));
  return before !== null && LOCATIVE.has(before[1]!.toLowerCase());
}

/**
 * Whether this mention says who the person is: a role word right before the
 * name ("press secretary Jan Novak"), or an apposition right after it —
 * a parenthesis with a noun in it, or a comma phrase holding a role word
 * ("Maria Lopez (then the finance minister)").
 */
function isIdentifying(occurrence: Occurrence): boolean {
  const { text } = occurrence.parsed.paragraph;
  const tokens = occurrence.parsed.tokens;
  const previous = tokens.filter((token) => token.end <= occurrence.start).at(-1);
  if (previous && hasAny(previous.tags, ROLE_TAGS) && /^\s+$/.test(text.slice(previous.end, occurrence.start))) return true;

  const sentenceEnd = occurrence.sentence.start + occurrence.sentence.text.length;
  const after = text.slice(occurrence.end, sentenceEnd);
  const apposition = /^\s*\(([^)]*)\)/.exec(after) ?? /^,([^,)]*)[,)]/.exec(after);
  if (!apposition) return false;
  const from = occurrence.end + apposition.index;
  const to = from + apposition[0].length;
  const inside = tokens.filter((token) => token.start >= from && token.end <= to);
  return apposition[0].trimStart().startsWith('(')
    ? inside.some((token) => token.tags.has('Noun'))
    : inside.some((token) => hasAny(token.tags, ROLE_TAGS));
}

/** Words that end a role read backwards from a name: "when Turkish Prime Minister …" stops at "when". */
const ROLE_STOP = new Set(['the', 'a', 'an', 'and', 'or', 'but', 'when', 'with', 'by', 'of', 'to', 'that', 'which', 'who', 'as', 'at', 'in', 'on', 'for', 'from', 'while', 'after', 'before', 'then', 'also', 'even']);
/** A role is a few words; longer runs are not one. */
const MAX_ROLE_WORDS = 6;

/**
 * Who the person is, in the text's own words: the title run right before the
 * name ("Russian presidential press secretary"), or the apposition right
 * after it ("currently foreign policy adviser to Iran’s Supreme Leader …").
 */
function roleOf(occurrence: Occurrence): string | undefined {
  const { text } = occurrence.parsed.paragraph;
  const before = occurrence.parsed.tokens.filter((token) => token.end <= occurrence.start && token.start >= occurrence.sentence.start);
  const run: Token[] = [];
  let edge = occurrence.start;
  for (const token of [...before].reverse()) {
    const word = text.slice(token.start, token.end);
    if (!/^\s+$/.test(text.slice(token.end, edge)) || ROLE_STOP.has(word.toLowerCase()) || token.tags.has('Verb') || run.length === MAX_ROLE_WORDS) break;
    run.unshift(token);
    edge = token.start;
  }
  if (run.some((token) => hasAny(token.tags, ROLE_TAGS))) return text.slice(run[0]!.start, run.at(-1)!.end);
  const sentenceEnd = occurrence.sentence.start + occurrence.sentence.text.length;
  const apposition = /^\s*\(([^)]*)\)/.exec(text.slice(occurrence.end, sentenceEnd)) ?? /^,([^,)]*)[,)]/.exec(text.slice(occurrence.end, sentenceEnd));
  return apposition && isIdentifying(occurrence) ? apposition[1]!.trim() : undefined;
}

interface Candidate {
  words: string[];
  /** Paragraph position and offset of its first sighting, for reading order. */
  order: [number, number];
}

function isSublist(part: readonly string[], whole: readonly string[]): boolean {
  if (part.length >= whole.length) return false;
  for (let from = 0; from + part.length <= whole.length; from += 1) {
    if (part.every((word, index) => whole[from + index] === word)) return true;
  }
  return false;
}

/**
 * How a full name is shortened: to its last word ("Lopez"), and a last word
 * with a lower-case particle ("al-Sisi") also to the part after it ("Sisi").
 */
function surnamesOf(words: readonly string[]): string[] {
  const last = words.at(-1);
  if (last === undefined) return [];
  const particle = /^\p{Ll}+-(\p{Lu}.*)$/u.exec(last);
  return particle ? [last, particle[1]!] : [last];
}

/**
 * Everyone named in the article's body, in order of first mention. Shorter
 * forms ("Lopez", "President Lopez") merge into the one fuller name that
 * contains them; a form contained in several names (a shared first name)
 * is ambiguous and left out. A full name's surname (see surnamesOf) is its
 * alias unless another person's name has it too.
 */
export function peopleOf(article: Article): Person[] {
  const parsed: ParsedParagraph[] = bodyParagraphs(article).map(parseParagraph);

  const candidates = new Map<string, Candidate>();
  const rulers = new Set<string>();
  for (const paragraph of parsed) {
    const { text } = paragraph.paragraph;
    const ruled = rulerRuns(text, paragraph.tokens);
    for (const run of ruled) rulers.add(nameOf(run, text) ?? '');
    for (const run of [...paragraph.personRuns, ...titledRuns(text, paragraph.tokens), ...ruled]) {
      const key = nameOf(run, text);
      if (key === undefined) continue;
      const words = key.split(' ');
      const order: [number, number] = [paragraph.paragraph.position, run[0]!.start];
      const known = candidates.get(key);
      if (!known || order[0] < known.order[0] || (order[0] === known.order[0] && order[1] < known.order[1])) {
        candidates.set(key, { words, order });
      }
    }
  }

  // "the Assad regime" beside "Bashar al-Assad": the surname of a name already found, not another person.
  for (const ruler of rulers) {
    if ([...candidates.values()].some((candidate) => candidate.words.length > 1 && surnamesOf(candidate.words).includes(ruler))) candidates.delete(ruler);
  }
  // Each name goes to the fullest names that contain it; those contained in none stand alone.
  const all = [...candidates.values()];
  const groups = new Map<Candidate, Candidate[]>();
  for (const candidate of all) {
    const fuller = all.filter((other) => isSublist(candidate.words, other.words) && !all.some((longer) => isSublist(other.words, longer.words)));
    if (fuller.length === 0) groups.set(candidate, [...(groups.get(candidate) ?? [])]);
    else if (fuller.length === 1) groups.set(fuller[0]!, [...(groups.get(fuller[0]!) ?? []), candidate]);
  }

  // How many full names each word belongs to: a surname shared by two people is no alias for either.
  const namesWith = new Map<string, number>();
  for (const full of groups.keys()) {
    for (const word of new Set(surnamesOf(full.words))) namesWith.set(word, (namesWith.get(word) ?? 0) + 1);
  }

  const fullOccurrences = [...groups.keys()].map((full) => occurrencesOf(full.words.join(' '), parsed));
  const people: { person: Person; order: [number, number] }[] = [];
  [...groups.entries()].forEach(([full, shorter], index) => {
    const name = full.words.join(' ');
    const aliases = new Set(shorter.map((candidate) => candidate.words.join(' ')));
    if (full.words.length > 1) {
      for (const surname of surnamesOf(full.words)) if (namesWith.get(surname) === 1) aliases.add(surname);
    }
    aliases.delete(name);

    // Full-name sightings first; a shorter form counts where it is not part of a longer name.
    const others = fullOccurrences.filter((_, other) => other !== index).flat();
    const found = [...fullOccurrences[index]!];
    for (const alias of [...aliases].sort((a, b) => b.length - a.length)) {
      for (const occurrence of occurrencesOf(alias, parsed)) {
        if (!found.some((seen) => overlaps(seen, occurrence)) && !others.some((seen) => overlaps(seen, occurrence))) found.push(occurrence);
      }
    }
    found.sort((a, b) => a.parsed.paragraph.position - b.parsed.paragraph.position || a.start - b.start);
    if (found.length === 0 || found.every(isLocative)) return;

    const mentions: PersonMention[] = [];
    const mentionOf = new Map<Occurrence, PersonMention>();
    for (const occurrence of found) {
      let mention = mentions.at(-1);
      if (mention?.paragraph !== occurrence.parsed.paragraph || mention.sentence !== occurrence.sentence.text) {
        mention = { paragraph: occurrence.parsed.paragraph, sentence: occurrence.sentence.text };
        mentions.push(mention);
      }
      mentionOf.set(occurrence, mention);
    }
    const identifyingAt = found.find(isIdentifying) ?? found[0]!;
    const identifying = mentionOf.get(identifyingAt)!;
    const role = roleOf(identifyingAt);
    const first = found[0]!;
    people.push({ person: { name, aliases: [...aliases], identifying, mentions, ...(role === undefined ? {} : { role }) }, order: [first.parsed.paragraph.position, first.start] });
  });

  return people.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).map(({ person }) => person);
}

function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether two words are at most one insertion, deletion, substitution or swap of neighbours apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  if (a.length === b.length) {
    if (a.slice(prefix + 1) === b.slice(prefix + 1)) return true;
    return a[prefix] === b[prefix + 1] && a[prefix + 1] === b[prefix] && a.slice(prefix + 2) === b.slice(prefix + 2);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(prefix) === longer.slice(prefix + 1);
}

/** Names shorter than this must be typed exactly: "Ali" one edit away is "Al" or "Eli". */
const MIN_FUZZY_LENGTH = 5;

/** How well a typed name fits a person: 3 a whole form, 2 every word a name part, 1 the same with typos, 0 not at all. */
function fit(person: Person, words: readonly string[], whole: string): number {
  const forms = [person.name, ...person.aliases].map(foldName);
  if (forms.includes(whole)) return 3;
  const parts = new Set(forms.flatMap((form) => form.split(' ')));
  if (words.every((word) => parts.has(word))) return 2;
  const fuzzy = (word: string): boolean =>
    parts.has(word) || (word.length >= MIN_FUZZY_LENGTH && [...parts].some((part) => part.length >= MIN_FUZZY_LENGTH && withinOneEdit(word, part)));
  return words.every(fuzzy) ? 1 : 0;
}

/**
 * The people a typed name fits best, ignoring case, accents and a possessive:
 * the whole name or an alias, any of its words ("lopez", "maria"), or
 * words one typo away when five letters or longer ("Lopes"). Titles typed
 * with a name ("President Lopez") are ignored.
 */
export function findPeople(people: readonly Person[], query: string): Person[] {
  const whole = foldName(query);
  if (whole === '') return [];
  let words = whole.split(' ');
  const roles = new Set(
    (nlp(query).json({ terms: { tags: true } }) as { terms: { text: string; tags: string[] }[] }[])
      .flatMap((sentence) => sentence.terms)
      .filter((term) => hasAny(new Set(term.tags), ROLE_TAGS))
      .map((term) => foldName(term.text)),
  );
  const untitled = words.filter((word) => !roles.has(word));
  if (untitled.length > 0) words = untitled;

  let best = 0;
  let matches: Person[] = [];
  for (const person of people) {
    const score = Math.max(fit(person, words, whole), fit(person, words, words.join(' ')));
    if (score === 0 || score < best) continue;
    if (score > best) matches = [];
    best = score;
    matches.push(person);
  }
  return matches;
}

/** The one person a typed name means; undefined when it fits nobody or several equally ("Ali"). */
export function findPerson(people: readonly Person[], query: string): Person | undefined {
  const matches = findPeople(people, query);
  return matches.length === 1 ? matches[0] : undefined;
}
