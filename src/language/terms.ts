/**
 * Term processing shared by indexing and querying: the same text must always
 * become the same terms, or the index and the question never meet.
 */
import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';
import nounExceptions from 'wink-lexicon/src/wn-noun-exceptions.js';
import verbExceptions from 'wink-lexicon/src/wn-verb-exceptions.js';

// The exception lists alone: the package's full lexicon would cost some 40 MB of memory for nothing here.
const VERB_EXCEPTIONS: Readonly<Record<string, string>> = verbExceptions;
const NOUN_EXCEPTIONS: Readonly<Record<string, string>> = nounExceptions;

/**
 * Words that carry the shape of a question, not its subject. The stopword
 * package's English list covers articles and pronouns but keeps these.
 */
const QUESTION_WORDS = ['why', 'when', 'whom', 'whose', 'does', 'doe', 'what', 'which', 'who', 'how', 'say', 'says', 'tell', 'article', 'author', 'us'];

/**
 * Pronouns and modals the package's short list lacks ("its", "she", "will"),
 * and what is left of a contraction the tokenizer splits ("they're" → "they",
 * "re"; one-letter leftovers go anyway). Prepositions such as "down" or
 * "against" stay words: "shot down" is not "shot".
 */
const PRONOUNS_AND_FRAGMENTS = [
  ...['myself', 'ours', 'ourselves', 'yours', 'yourself', 'yourselves', 'she', 'hers', 'herself', 'its', 'itself', 'theirs', 'themselves'],
  ...['ll', 're', 've'],
  // The package lists "would", "could", "should" but not these two.
  ...['will', 'shall'],
];

const STOP_WORDS: ReadonlySet<string> = new Set([...englishStopWords, ...QUESTION_WORDS, ...PRONOUNS_AND_FRAGMENTS]);

/** Splits on white space and punctuation, the way MiniSearch does by default. */
const SEPARATORS = /[\n\r\p{Z}\p{P}\p{S}]+/u;

/** Invisible format characters (zero-width space, joiners, BOM) that would split or glue words unseen. */
const FORMAT_CHARACTERS = /[\p{Cf}]/gu;
const COMBINING_MARKS = /\p{M}/gu;

/**
 * Acronyms: dotted initialisms ("U.S.", "U.K."), which would fall apart into
 * one-letter noise, and short all-capital words ("US", "UN", "WHO").
 */
const ACRONYM = /(?<![\p{L}\p{N}])(?:(?:\p{L}\.){2,}|\p{Lu}{2,3}(?![\p{L}\p{N}]))/gu;

/**
 * An acronym that spells a stop word ("US", "WHO") is a name, not the pronoun:
 * it is kept apart with this mark ("us" is a stop word, "US" becomes "us0").
 */
const ACRONYM_MARK = '0';

function joinAcronym(acronym: string): string {
  const letters = acronym.replaceAll('.', '').toLowerCase();
  return ` ${STOP_WORDS.has(letters) ? `${letters}${ACRONYM_MARK}` : letters} `;
}

/**
 * "won't" is not "won" (of winning), "aren't" not "aren": negations become
 * "will not", "are not". Run after NFKD and the invisible characters are
 * gone, so a full-width or zero-width-split "won't" reads the same.
 */
const NEGATION = /(?<![\p{L}\p{N}])(\p{L}+)n['’ʼ]t(?![\p{L}\p{N}])/giu;
const IRREGULAR_NEGATION: Readonly<Record<string, string>> = { wo: 'will', ca: 'can', sha: 'shall', ai: 'is' };

/** Most texts hold no negation at all: a cheap look first spares them the full pattern. */
const MAYBE_NEGATION = /[nN]['’ʼ][tT]/;

function expandNegations(text: string): string {
  if (!MAYBE_NEGATION.test(text)) return text;
  return text.replace(NEGATION, (_match, stem: string) => {
    const base = stem.toLowerCase();
    return `${IRREGULAR_NEGATION[base] ?? base} not`;
  });
}

/** Lower-cases, folds accents, drops invisible characters, spells out negations and joins acronyms ("U.S." and "US" → "us0"). */
export function normalizeText(text: string): string {
  return expandNegations(text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(FORMAT_CHARACTERS, '')).replace(ACRONYM, joinAcronym).toLowerCase();
}

/** Raw word tokens of a text, before stop-word removal and stemming. */
export function tokenize(text: string): string[] {
  return normalizeText(text).split(SEPARATORS).filter((token) => token.length > 0);
}

/**
 * Turns one token into an index term: null for stop words and one-letter
 * noise, otherwise its Porter stem ("allies" and "ally" both become "alli").
 */
export function processTerm(token: string): string | null {
  const known = termCache.get(token);
  if (known !== undefined) return known;
  const term = termOf(token);
  // Words repeat endlessly across paragraphs and questions; normalising and stemming each once is enough.
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(token, term);
  return term;
}

const TERM_CACHE_LIMIT = 100_000;
const termCache = new Map<string, string | null>();

function termOf(token: string): string | null {
  const word = normalizeText(token).trim();
  if (word.length === 0 || STOP_WORDS.has(word)) return null;
  if (word.length === 1 && !/\d/.test(word)) return null;
  // Checked again on the base form: "told" is "tell", "made" is "make", both stop words.
  const base = baseForm(word);
  if (STOP_WORDS.has(base)) return null;
  return stemmer(base);
}

/**
 * Irregular forms to their base ("began" → "begin", "children" → "child",
 * "left" → "leave"), from WordNet's exception lists; Porter handles the
 * regular inflections.
 */
export function baseForm(word: string): string {
  return VERB_EXCEPTIONS[word] ?? NOUN_EXCEPTIONS[word] ?? word;
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
