/**
 * Term processing shared by indexing and querying: the same text must always
 * become the same terms, or the index and the question never meet.
 */
import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';
import lemmatizer from 'wink-lemmatizer';

/**
 * Words that carry the shape of a question, not its subject. The stopword
 * package's English list covers articles and pronouns but keeps these.
 */
const QUESTION_WORDS = ['why', 'when', 'whom', 'whose', 'does', 'doe', 'what', 'which', 'who', 'how', 'say', 'says', 'tell', 'article', 'author'];

const STOP_WORDS: ReadonlySet<string> = new Set([...englishStopWords, ...QUESTION_WORDS]);

/** Splits on white space and punctuation, the way MiniSearch does by default. */
const SEPARATORS = /[\n\r\p{Z}\p{P}\p{S}]+/u;

/** Invisible format characters (zero-width space, joiners, BOM) that would split or glue words unseen. */
const FORMAT_CHARACTERS = /[\p{Cf}]/gu;
const COMBINING_MARKS = /\p{M}/gu;

/** Dotted initialisms ("U.S.", "U.K.") would fall apart into one-letter noise. */
const DOTTED_INITIALISM = /(?<![\p{L}\p{N}])(?:\p{L}\.){2,}/gu;

/** Lower-cases, folds accents, drops invisible characters and joins dotted initialisms ("U.S." → "us"). */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(FORMAT_CHARACTERS, '')
    .replace(DOTTED_INITIALISM, (initials) => `${initials.replaceAll('.', '')} `)
    .toLowerCase();
}

/** Raw word tokens of a text, before stop-word removal and stemming. */
export function tokenize(text: string): string[] {
  return normalizeText(text).split(SEPARATORS).filter((token) => token.length > 0);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * Turns one token into an index term: null for stop words and one-letter
 * noise, otherwise its Porter stem ("allies" and "ally" both become "alli").
 */
export function processTerm(token: string): string | null {
  const word = normalizeText(token);
  if (word.length === 0 || STOP_WORDS.has(word)) return null;
  if (word.length === 1 && !/\d/.test(word)) return null;
  return stemmer(baseForm(word));
}

/**
 * Irregular forms to their base ("began" → "begin", "children" → "child",
 * "left" → "leave"). Regular inflections stay with Porter: the lemmatizer
 * would also read "discuss" as the plural of "discus".
 */
export function baseForm(word: string): string {
  const verb = lemmatizer.verb(word);
  const lemma = verb !== word ? verb : lemmatizer.noun(word);
  return lemma === word || isRegularInflection(word, lemma) ? word : lemma;
}

const REGULAR_ENDINGS = ['s', 'es', 'ed', 'd', 'ing'];

function isRegularInflection(word: string, lemma: string): boolean {
  if (word.startsWith(lemma) && REGULAR_ENDINGS.includes(word.slice(lemma.length))) return true;
  const stem = lemma.slice(0, -1);
  const last = lemma.at(-1);
  if (last === 'y' && (word === `${stem}ies` || word === `${stem}ied`)) return true;
  if (last === 'e' && word === `${stem}ing`) return true;
  return word === `${lemma}${last}ed` || word === `${lemma}${last}ing`;
}

/** The index terms of a text, in order, duplicates kept. */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term !== null) terms.push(term);
  }
  return terms;
}
