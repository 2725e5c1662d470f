/**
 * The second stage: a question read once into what every later stage needs —
 * its concepts and their rarity weights, word pairs, the kind of answer it
 * asks for, and how specific its words are.
 */
import type { Article } from '../corpus/types.ts';
import { pairsOf } from '../language/evidence.ts';
import { baseForm } from '../language/terms.ts';
import { WordNet, type WordKind } from '../language/wordnet.ts';
import { aliasGroupsOf, conceptsOf, type Concept, type QueryLexicon } from './concepts.ts';
import type { WordsMeaning } from './meaning.ts';
import type { ParagraphIndex } from './paragraph-index.ts';

/** What kind of thing the question asks for, from its question words. */
export type AnswerKind = 'number' | 'name' | 'any';

/** A question, analysed once and shared by every candidate's features. */
export interface AnalysedQuestion {
  concepts: Concept[];
  /** Rarity weight of each concept (the asker's own word). */
  conceptWeights: number[];
  totalWeight: number;
  /** Adjacent pairs of the question's own terms. */
  pairs: ReadonlySet<string>;
  /** The same pairs with the sum of their two words' weights. */
  pairWeights: ReadonlyMap<string, number>;
  kind: AnswerKind;
  /** Lower-cased words of the question, to tell a new name from one the asker gave. */
  words: ReadonlySet<string>;
  /** Per concept, 1 for a word with one sense (or a name), less for everyday words with many. */
  specificity: number[];
  /** Per concept, what kind of word it is: a subject is named by a noun or a name, never by "so", "not" or "indeed". */
  wordKinds: WordKind[];
  /** Each concept's similarity in meaning to the index terms (by concept position), when word vectors are at hand. */
  meaning?: WordsMeaning;
  /** The question's words' vectors, weighted by rarity, as one unit vector. */
  vector?: Float32Array;
}

/** Which uses of word meaning are on (all by default; the ablation switches them off one by one). */
export interface MeaningUses {
  /** A question word the text never uses searches for its nearest words in the text. */
  neighbours: boolean;
  /** Words close in meaning count as part matches in the re-ranker's and the gate's coverage. */
  coverage: boolean;
}

/**
 * Nearest words in the text for a question word the text lacks: at most
 * this many, at least this close, each searched for at NEIGHBOUR_WEIGHT times
 * its cosine. Chosen on the SQuAD tune half.
 */
const NEIGHBOURS = 3;
const NEIGHBOUR_MINIMUM = 0.65;
const NEIGHBOUR_WEIGHT = 0.6;

/** The engine reads at most this much of a question (callers cut questions shorter); a 6,000-character one costs no more. */
const MAX_ANALYSED_CHARS = 1_000;

let wordNet: WordNet | undefined;
/** One thesaurus per process: its index files are read once, on first use. */
function sharedWordNet(): WordNet {
  wordNet ??= new WordNet();
  return wordNet;
}

export class QuestionAnalyser {
  /** What the analysis knows of words: the index's vocabulary, the articles' aliases and, unless switched off, WordNet. */
  readonly lexicon: QueryLexicon;
  private readonly index: ParagraphIndex;

  private readonly uses: MeaningUses;

  constructor(index: ParagraphIndex, articles: readonly Article[], options: { synonyms: boolean; meaning: MeaningUses }) {
    this.index = index;
    this.uses = options.meaning;
    this.lexicon = {
      knows: (term) => index.knows(term),
      closeTerms: (term) => index.closeTerms(term),
      aliasGroups: articles.flatMap((article) => aliasGroupsOf(article.aliases)),
      ...(options.synonyms
        ? {
            synonyms: (word: string) => sharedWordNet().synonyms(word),
            phraseSynonyms: (first: string, second: string) => sharedWordNet().phraseSynonyms(first, second),
            senseCount: (word: string) => sharedWordNet().senseCount(word),
            isWord: (word: string) => sharedWordNet().isWord(word),
            isNoun: (word: string) => sharedWordNet().isNoun(word),
            wordKind: (word: string) => sharedWordNet().wordKind(word),
            derivedForms: (word: string) => sharedWordNet().derivedForms(word),
          }
        : {}),
    };
  }

  analyse(question: string): AnalysedQuestion {
    const text = question.slice(0, MAX_ANALYSED_CHARS);
    const { concepts, tokens, terms } = conceptsOf(text, this.lexicon);
    const meaning = this.index.meaning?.forWords(concepts.map((concept) => concept.word));
    if (meaning && this.uses.neighbours) this.addNeighbours(concepts, meaning);
    const conceptWeights = concepts.map((concept) => this.index.idf(concept.alternatives[0]?.term ?? '') * (concept.weight ?? 1));
    const own = concepts.map((concept) => concept.alternatives[0]?.term ?? '');
    const pairs = pairsOf(terms);
    const weightOf = (term: string) => conceptWeights[own.indexOf(term)] ?? 0;
    const bases = concepts.map((concept) => baseForm(concept.word));
    return {
      concepts,
      conceptWeights,
      totalWeight: conceptWeights.reduce((sum, weight) => sum + weight, 0),
      pairs,
      pairWeights: new Map([...pairs].map((pair) => [pair, pair.split(' ').reduce((sum, term) => sum + weightOf(term), 0)])),
      kind: answerKindOf(text),
      words: new Set(tokens),
      specificity: bases.map((base) => specificityOf(this.lexicon.senseCount?.(base) ?? 0)),
      wordKinds: bases.map((base) => this.lexicon.wordKind?.(base) ?? 'other'),
      ...(this.uses.coverage && meaning ? { meaning, vector: meaning.blend(conceptWeights) } : {}),
    };
  }

  /** A concept the text never says in any form searches for the text's words nearest in meaning ("atomic" → "nuclear"). */
  private addNeighbours(concepts: Concept[], meaning: WordsMeaning): void {
    concepts.forEach((concept, i) => {
      if (concept.alternatives.some((alternative) => !alternative.synonym && this.index.knows(alternative.term))) return;
      for (const { term, cosine } of meaning.neighbours(i, NEIGHBOURS, NEIGHBOUR_MINIMUM)) {
        const known = concept.alternatives.find((alternative) => alternative.term === term);
        const weight = NEIGHBOUR_WEIGHT * cosine;
        // A WordNet synonym the vectors also find close becomes a search term too.
        if (known) Object.assign(known, { weight: Math.max(known.weight, weight), synonym: false, near: true });
        else concept.alternatives.push({ term, weight, near: true });
      }
    });
  }
}

const ASKS_FOR_NUMBER = /\b(?:when|(?:what|which) (?:year|years|date|day|month|century|decade|time|percentage|percent|number|amount)|how (?:many|much|long|old|far|large|big|often|few))\b/i;
/** "Where" too: places are named ("somewhere in Mongolia"). */
const ASKS_FOR_NAME = /^\W*(?:\w+\s+){0,3}?(?:who|whom|whose|where)\b/i;

/** Why, how (not "how many"), what for, what should or must be done, what it means: the answer is a reason, a recommendation or an implication. */
const ASKS_FOR_REASON = /\b(?:why|how come|what for|for what|reasons?|purpose|should|must|ought|need to|needs to|have to|has to|mean|means|imply|implies|implications?)\b|\bhow\b(?!\s+(?:many|much|long|old|far|large|big|often|few)\b)/i;

export function asksForReason(question: string): boolean {
  return ASKS_FOR_REASON.test(question);
}

export function asksWhy(question: string): boolean {
  return /\bwhy\b|\bhow come\b/i.test(question);
}

export function answerKindOf(question: string): AnswerKind {
  if (ASKS_FOR_NUMBER.test(question)) return 'number';
  if (ASKS_FOR_NAME.test(question)) return 'name';
  return 'any';
}

/** 1 for a word with at most one sense (or unknown to the thesaurus: names), falling as senses grow. */
function specificityOf(senses: number): number {
  return 1 / Math.log2(1 + Math.max(1, senses));
}
