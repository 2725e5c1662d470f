/**
 * Turns a question into weighted concepts. A concept is one word of the
 * question plus the other ways the article may say it (aliases, spelling
 * fixes); it counts as covered when a passage says it any of those ways.
 */
import { baseForm, processTerm, termsOf, tokenize } from '../language/terms.ts';
import type { WordKind } from '../language/wordnet.ts';

/** A term to search for and how much a match on it is worth relative to the asker's own word. */
export interface Alternative {
  term: string;
  weight: number;
  /** Synonyms only count as evidence for the re-ranker: as index query terms they pull in too much. */
  synonym?: boolean;
  /** A spelling fix: it finds the passage, but tells nothing of how specific the asker's word was. */
  spelling?: boolean;
  /** Another word of the same root ("beginners" → "begin"): it finds the passage, but is not the asker's word. */
  derived?: boolean;
  /** A word of the text close in meaning (word vectors) to one the text lacks: it finds the passage, but is not the asker's word. */
  near?: boolean;
}

export interface Concept {
  /** The question's own word, as typed (normalised). */
  word: string;
  alternatives: Alternative[];
  /** How much the concept counts in the question, 1 unless it only names the kind of answer. */
  weight?: number;
}

/** Weights for words the asker did not type: an alias or a spelling fix is weaker evidence. */
export const ALIAS_WEIGHT = 0.6;
export const FUZZY_WEIGHT = 0.8;
export const SYNONYM_WEIGHT = 0.5;
export const DERIVED_WEIGHT = 0.8;

/** Alias groups as lists of term sequences: [["moscow"], ["kremlin"], ["unit", "state"]]. */
export type AliasGroups = string[][][];

export function aliasGroupsOf(aliases: Record<string, string[]>): AliasGroups {
  return Object.entries(aliases).map(([key, names]) => [key, ...names].map(termsOf).filter((terms) => terms.length > 0));
}

function containsSequence(haystack: string[], needle: string[]): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) if (haystack[start + offset] !== needle[offset]) continue outer;
    return start;
  }
  return -1;
}

export interface QueryLexicon {
  /** Is this term in the index at all? */
  knows(term: string): boolean;
  /** Index terms within a small edit distance of an unknown term. */
  closeTerms(term: string): string[];
  /** Words that mean the same as a word (any form), if a thesaurus is at hand. */
  synonyms?(word: string): string[];
  /** Synonyms of a two-word phrase the thesaurus knows as one, if a thesaurus is at hand. */
  phraseSynonyms?(first: string, second: string): string[];
  /** Words of the same root a stemmer does not join ("invent" → "inventor"), if a thesaurus is at hand. */
  derivedForms?(word: string): string[];
  /** Is the word mostly a noun? If a thesaurus is at hand. */
  isNoun?(word: string): boolean;
  /** A name, noun, adverb or other word? If a thesaurus is at hand. */
  wordKind?(word: string): WordKind;
  /** Is this a dictionary word, not a typo? If a thesaurus is at hand. */
  isWord?(word: string): boolean;
  /** How many senses a word has, if a thesaurus is at hand. */
  senseCount?(word: string): number;
  aliasGroups: AliasGroups;
}

export interface QuestionConcepts {
  /** Deduplicated, in the order the asker wrote them. */
  concepts: Concept[];
  /** Every word of the question, normalised, stop words kept. */
  tokens: string[];
  /** The question's index terms in order, duplicates kept: for its word pairs. */
  terms: string[];
}

/** The concepts of a question, with the tokens and terms they were read from (so nothing reads it twice). */
export function conceptsOf(question: string, lexicon: QueryLexicon): QuestionConcepts {
  const concepts = new Map<string, Concept>();
  const terms: string[] = [];
  const tokens = tokenize(question);
  for (const token of tokens) {
    const term = processTerm(token);
    if (term === null) continue;
    terms.push(term);
    if (!concepts.has(term)) concepts.set(term, { word: token, alternatives: [{ term, weight: 1 }] });
  }

  for (const group of lexicon.aliasGroups) {
    for (const name of group) {
      const at = containsSequence(terms, name);
      if (at === -1) continue;
      const concept = concepts.get(terms[at] as string);
      if (!concept) continue;
      // Only one-word names stand in for a word: "United States" must not make "state" a synonym of "America".
      for (const [term, ...rest] of group) {
        if (term === undefined || rest.length > 0) continue;
        if (!concept.alternatives.some((alternative) => alternative.term === term)) concept.alternatives.push({ term, weight: ALIAS_WEIGHT });
      }
    }
  }

  const add = (concept: Concept, term: string | null, alternative: Omit<Alternative, 'term'>) => {
    if (term !== null && lexicon.knows(term) && !concept.alternatives.some((known) => known.term === term)) concept.alternatives.push({ term, ...alternative });
  };
  // A two-word phrase may be one thing ("power station"): its synonyms' words back up the phrase's last word.
  for (let i = 1; i < tokens.length && lexicon.phraseSynonyms; i++) {
    const head = processTerm(tokens[i] as string);
    const concept = head === null ? undefined : concepts.get(head);
    if (!concept) continue;
    for (const phrase of lexicon.phraseSynonyms(baseForm(tokens[i - 1] as string), baseForm(tokens[i] as string))) {
      for (const term of termsOf(phrase)) add(concept, term, { weight: SYNONYM_WEIGHT, synonym: true });
    }
  }
  for (const concept of concepts.values()) {
    const own = concept.alternatives[0] as Alternative;
    const base = baseForm(concept.word);
    for (const derived of lexicon.derivedForms?.(base) ?? []) add(concept, processTerm(derived), { weight: DERIVED_WEIGHT, derived: true });
    for (const synonym of lexicon.synonyms?.(base) ?? []) add(concept, processTerm(synonym), { weight: SYNONYM_WEIGHT, synonym: true });
    if (concept.alternatives.some((alternative) => alternative !== own && !alternative.synonym) || lexicon.knows(own.term)) continue;
    // A real word the article does not use is not a typo of one it does: "readers" is not "leaders".
    if (lexicon.isWord?.(base)) continue;
    for (const term of lexicon.closeTerms(own.term)) add(concept, term, { weight: FUZZY_WEIGHT, spelling: true });
  }
  const typeWord = answerTypeWord(tokens);
  const typeTerm = typeWord === undefined ? null : processTerm(typeWord);
  const typeConcept = typeTerm === null ? undefined : concepts.get(typeTerm);
  // Only a noun names a kind of thing: in "What happened…" the verb is the question itself.
  if (typeConcept && concepts.size > 1 && (lexicon.isNoun?.(baseForm(typeConcept.word)) ?? true)) typeConcept.weight = ANSWER_TYPE_WEIGHT;
  return { concepts: [...concepts.values()], tokens, terms };
}

/**
 * The word that names what the answer is ("Which *country*…", "In what
 * *year*…", "What *actor* played…"): the passage names an instance of it
 * (France, 1226, Michael Jayston), seldom the word itself, so it counts less.
 */
export const ANSWER_TYPE_WEIGHT = 0.5;

const TYPE_ASKING_WORDS: ReadonlySet<string> = new Set(['what', 'which', 'whose']);

function answerTypeWord(tokens: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) if (TYPE_ASKING_WORDS.has(tokens[i] as string)) return tokens[i + 1];
  return undefined;
}
