/**
 * The answer engine: MiniSearch over paragraphs, ranked and then explained
 * sentence by sentence. It knows nothing of commands or platforms.
 */
import MiniSearch from 'minisearch';
import type { Article, Paragraph, Role } from '../corpus/types.ts';
import { aliasGroupsOf, analyzeQuestion, type Concept, type QueryLexicon } from './query.ts';
import { splitSentences } from './sentences.ts';
import { processTerm, termsOf, tokenize } from './terms.ts';

interface IndexedSentence {
  text: string;
  start: number;
  terms: ReadonlySet<string>;
}

interface Entry {
  paragraph: Paragraph;
  sentences: IndexedSentence[];
}

export interface RankedPassage {
  paragraph: Paragraph;
  score: number;
  /** Share of the question's weight this passage covers, 0..1. */
  coverage: number;
  /** Index terms of the question (or their aliases) found in it. */
  matchedTerms: ReadonlySet<string>;
  /** The passage's sentences that match the question, best first, with their own coverage. */
  sentences: { index: number; coverage: number }[];
}

export interface AnswerSentencePick {
  paragraph: Paragraph;
  text: string;
  start: number;
}

export interface SearchOutcome {
  question: string;
  concepts: Concept[];
  answered: boolean;
  /** Every passage that matched anything, best first. */
  passages: RankedPassage[];
  /** 1–3 verbatim sentences (empty when not answered). */
  answer: AnswerSentencePick[];
}

export interface EngineOptions {
  /** Below this share of the question's weight in the best passage, the article is taken not to cover it. */
  minCoverage?: number;
  /** Largest number of answer sentences. */
  maxAnswerSentences?: number;
}

/** How much a match counts by what the paragraph is: the author's argument first. */
const ROLE_PRIOR: Record<Role, number> = { body: 1, bio: 0.9, comment: 0.8, byline: 0.6 };

/** A follow-up answer sentence must cover at least this share of what the first one covers. */
const FOLLOW_UP_SHARE = 0.6;

/** Words typed on one line with no spaces: cut past this so a 6,000-character question costs no more than a long one. */
const MAX_QUESTION_CHARS = 1_000;

export class Engine {
  readonly minCoverage: number;
  readonly maxAnswerSentences: number;
  private readonly entries: Entry[];
  private readonly index: MiniSearch<{ id: number; text: string }>;
  private readonly entryIds = new Map<Paragraph, number>();
  private readonly documentFrequency = new Map<string, number>();
  private readonly lexicon: QueryLexicon;

  constructor(articles: readonly Article[], options: EngineOptions = {}) {
    this.minCoverage = options.minCoverage ?? 0.4;
    this.maxAnswerSentences = options.maxAnswerSentences ?? 3;
    this.entries = articles.flatMap((article) =>
      article.paragraphs.map((paragraph) => ({
        paragraph,
        sentences: splitSentences(paragraph.text).map((sentence) => ({ ...sentence, terms: new Set(termsOf(sentence.text)) })),
      })),
    );
    this.entries.forEach((entry, id) => this.entryIds.set(entry.paragraph, id));
    this.index = new MiniSearch({ fields: ['text'], tokenize, processTerm });
    this.index.addAll(this.entries.map((entry, id) => ({ id, text: entry.paragraph.text })));
    for (const entry of this.entries) {
      for (const term of new Set(termsOf(entry.paragraph.text))) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.lexicon = {
      knows: (term) => this.documentFrequency.has(term),
      closeTerms: (term) => this.closeTerms(term),
      aliasGroups: articles.flatMap((article) => aliasGroupsOf(article.aliases)),
    };
  }

  get paragraphCount(): number {
    return this.entries.length;
  }

  /** Inverse document frequency (BM25 form); a term the index never saw weighs the most. */
  idf(term: string): number {
    const n = this.entries.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Ranks the article's passages for a question and picks the answer sentences. */
  search(question: string): SearchOutcome {
    const concepts = analyzeQuestion(question.slice(0, MAX_QUESTION_CHARS), this.lexicon);
    const weights = new Map<string, number>();
    for (const concept of concepts) {
      for (const { term, weight } of concept.alternatives) weights.set(term, Math.max(weight, weights.get(term) ?? 0));
    }
    if (weights.size === 0) return { question, concepts, answered: false, passages: [], answer: [] };

    const results = this.index.search([...weights.keys()].join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boostTerm: (term) => weights.get(term) ?? 1,
      combineWith: 'OR',
    });
    const conceptWeights = concepts.map((concept) => this.idf(concept.alternatives[0]?.term ?? ''));
    const totalWeight = conceptWeights.reduce((sum, weight) => sum + weight, 0);

    const passages = results
      .map((result) => {
        const entry = this.entries[result.id as number] as Entry;
        const matchedTerms = new Set(result.terms);
        const coverage = this.coverage(concepts, conceptWeights, matchedTerms) / totalWeight;
        return {
          paragraph: entry.paragraph,
          score: result.score * ROLE_PRIOR[entry.paragraph.role],
          coverage,
          matchedTerms,
          sentences: this.rankSentences(entry, concepts, conceptWeights, totalWeight),
        };
      })
      .sort((a, b) => b.score - a.score);

    const best = passages[0];
    const answered = best !== undefined && best.coverage >= this.minCoverage;
    return { question, concepts, answered, passages: answered ? passages : [], answer: answered ? this.pickAnswer(passages) : [] };
  }

  /** Sum of concept weights a set of terms covers, each concept at its best alternative's weight. */
  private coverage(concepts: Concept[], conceptWeights: number[], terms: ReadonlySet<string>): number {
    let covered = 0;
    concepts.forEach((concept, i) => {
      let best = 0;
      for (const { term, weight } of concept.alternatives) if (terms.has(term)) best = Math.max(best, weight);
      covered += best * (conceptWeights[i] ?? 0);
    });
    return covered;
  }

  /** Sentences that match anything, best first (ties keep reading order). */
  private rankSentences(entry: Entry, concepts: Concept[], conceptWeights: number[], totalWeight: number): RankedPassage['sentences'] {
    return entry.sentences
      .map((sentence, index) => ({ index, coverage: this.coverage(concepts, conceptWeights, sentence.terms) / totalWeight }))
      .filter((scored) => scored.coverage > 0)
      .sort((a, b) => b.coverage - a.coverage || a.index - b.index);
  }

  /**
   * The best sentence of the best passage, then sentences of the next passages
   * that are nearly as good and cover question words the answer does not cover yet.
   */
  private pickAnswer(passages: RankedPassage[]): AnswerSentencePick[] {
    const picks: AnswerSentencePick[] = [];
    const covered = new Set<string>();
    let floor = 0;
    for (const passage of passages.slice(0, this.maxAnswerSentences)) {
      const entry = this.entryOf(passage.paragraph);
      for (const { index, coverage } of passage.sentences) {
        if (coverage < floor) break;
        const sentence = entry.sentences[index] as IndexedSentence;
        const adds = [...sentence.terms].some((term) => passage.matchedTerms.has(term) && !covered.has(term));
        if (picks.length > 0 && !adds) continue;
        if (picks.length === 0) floor = Math.max(this.minCoverage, coverage * FOLLOW_UP_SHARE);
        picks.push({ paragraph: passage.paragraph, text: sentence.text, start: sentence.start });
        for (const term of sentence.terms) covered.add(term);
        break;
      }
      if (picks.length >= this.maxAnswerSentences) break;
    }
    return picks;
  }

  /**
   * Index terms one edit away (two for long words), for typos in names.
   * Short words are left alone: "bake" is one letter from "sake".
   */
  private closeTerms(term: string): string[] {
    if (term.length < 5) return [];
    const found = new Set<string>();
    const fuzzy = term.length >= 9 ? 2 : 1;
    for (const result of this.index.search(term, { fuzzy, prefix: false, tokenize: (text) => [text], processTerm: (t) => t })) {
      for (const matched of result.terms) found.add(matched);
    }
    return [...found];
  }

  private entryOf(paragraph: Paragraph): Entry {
    const entry = this.entries[this.entryIds.get(paragraph) ?? -1];
    if (!entry) throw new Error(`paragraph ${paragraph.label} of ${paragraph.article} is not indexed`);
    return entry;
  }

  /** The sentences of a paragraph, for excerpting. */
  sentencesOf(paragraph: Paragraph): { text: string; start: number }[] {
    return this.entryOf(paragraph).sentences.map(({ text, start }) => ({ text, start }));
  }
}
