/**
 * Quizzes built from an article's own sentences.
 *
 * - Fill in the blank: one body sentence with a key term blanked (a person, a
 *   place, a date, a number or a key noun phrase) and four options, the wrong
 *   ones of the same kind drawn from the article.
 * - Which paragraph: a quoted sentence, and four ¶s to choose from, close
 *   together.
 *
 * The bank holds every question the article allows, each with every wrong
 * option that cannot also be right; a draw picks one and its options with a
 * caller's random function, so a test (or a clock) decides.
 */
import type { Article, Paragraph } from '../corpus/types.ts';
import { bodyParagraphs } from '../corpus/types.ts';
import { bodySentences } from './outline.ts';
import type { Person } from './people.ts';
import { articleTerms, contentWords, nearbyDates, occurrencesIn, type Term, type TermKind, type TermSources } from './quiz-terms.ts';
import { pickOne, shuffled, type Random } from './random.ts';
import { phraseMeaning } from '../language/phrase-meaning.ts';
import { cosine, sharedWordVectors, type WordVectors } from '../language/word-vectors.ts';
import type { TimelineEvent } from './timeline.ts';

import { BLANK, QUIZ_KINDS, type QuizKind } from './quiz-kinds.ts';

export { BLANK, QUIZ_KINDS, type QuizKind };

/** Four options to choose from, one of them right. */
export const OPTION_COUNT = 4;
/** Shorter sentences say too little to place in a paragraph. */
const MIN_QUOTED_WORDS = 6;

export interface ClozeQuestion {
  kind: 'cloze';
  paragraph: Paragraph;
  sentence: string;
  /** Where the answer starts in the sentence. */
  index: number;
  answer: Term;
  /** Every term that may stand as a wrong option: those of the answer's shape first, each group closest in meaning to the answer first. */
  distractors: Term[];
}

export interface WhichParagraphQuestion {
  kind: 'which-paragraph';
  paragraph: Paragraph;
  sentence: string;
}

export type QuizQuestion = ClozeQuestion | WhichParagraphQuestion;

export interface QuizBank {
  article: Article;
  cloze: ClozeQuestion[];
  whichParagraph: WhichParagraphQuestion[];
}

/** A question as asked: the text shown, the options in the order shown, and which is right. */
export interface DrawnQuiz {
  kind: QuizKind;
  /** ¶N of the sentence. */
  paragraph: number;
  sentence: string;
  /** The sentence with its blank, or the sentence to place. */
  prompt: string;
  options: string[];
  answer: number;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Text as its words only, spaced, so "said elsewhere" compares words and not punctuation. */
function wordsOnly(text: string): string {
  return ` ${fold(text.replace(/[^\p{L}\p{N}’'-]+/gu, ' '))} `;
}

/** The article's body paragraphs, read once for every check of a bank. */
export interface QuizText {
  /** Each body paragraph as its words only. */
  paragraphWords: string[];
}

export function quizText(article: Article): QuizText {
  return { paragraphWords: bodyParagraphs(article).map((paragraph) => wordsOnly(paragraph.text)) };
}

/** What a wrong option is checked against: the blank's sentence, its paragraph and the answer. */
export type Blank = Pick<ClozeQuestion, 'paragraph' | 'sentence' | 'index' | 'answer'>;

/** The words either side of the blank, or '' at either end. */
function neighbours({ sentence, index, answer }: Blank): { before: string; after: string } {
  const before = /([\p{L}\p{N}’'-]+)[^\p{L}\p{N}]*$/u.exec(sentence.slice(0, index))?.[1] ?? '';
  const after = /^[^\p{L}\p{N}]*([\p{L}\p{N}’'-]+)/u.exec(sentence.slice(index + answer.text.length))?.[1] ?? '';
  return { before, after };
}

/** Whether the blank, filled with `text`, is said somewhere in the article: then it is no wrong answer. */
function saidElsewhere(blank: Blank, text: string, article: QuizText): boolean {
  const { before, after } = neighbours(blank);
  if (before === '' || after === '') return false;
  const filled = wordsOnly(`${before} ${text} ${after}`);
  return article.paragraphWords.some((paragraph) => paragraph.includes(filled));
}

const VOWEL_SOUND = /^[aeiou]/i;

/**
 * Why `candidate` cannot be a wrong option for the blank, or undefined when
 * it can. It must be of the answer's kind and name something else; nothing
 * of its group may appear in the blank's paragraph (the sentences around a
 * blank often make a name from there true as well); a date must not overlap
 * the answer's days, a phrase share no content word with the answer, a
 * number be of the same sort; it must read right after "a"/"an"; and the
 * blank filled with it must not be words the article says elsewhere.
 */
export function distractorProblem(blank: Blank, candidate: Term, article: QuizText): string | undefined {
  const { answer } = blank;
  if (candidate.kind !== answer.kind) return 'another kind';
  if (candidate.group === answer.group || fold(candidate.text) === fold(answer.text)) return 'the answer itself';
  if (candidate.related.some((form) => occurrencesIn(blank.paragraph.text, form).length > 0)) return 'in the paragraph';
  if (answer.span && candidate.span && candidate.span.from <= answer.span.to && candidate.span.to >= answer.span.from) return 'overlaps the date';
  if (answer.kind === 'phrase' && contentWords(candidate).some((word) => contentWords(answer).includes(word))) return 'shares a word';
  if (answer.kind === 'number' && candidate.shape !== answer.shape) return 'another sort of number';
  const before = neighbours(blank).before.toLowerCase();
  if (before === 'a' && VOWEL_SOUND.test(candidate.text)) return 'does not follow “a”';
  if (before === 'an' && !VOWEL_SOUND.test(candidate.text)) return 'does not follow “an”';
  if (saidElsewhere(blank, candidate.text, article)) return 'said elsewhere';
  return undefined;
}

function groupsOf(terms: readonly Term[]): number {
  return new Set(terms.map((term) => term.group)).size;
}

/**
 * Wrong options of a blank are drawn from the few of its shape closest in
 * meaning to the answer (word vectors): "economic sanctions" beside "arms
 * sales", not beside "the Caspian Sea", so the sentence's subject alone does
 * not give the answer away.
 */
const CLOSEST_OPTIONS = 6;
/** Closer than this to the answer is the answer in other words ("mutual hostility" for "shared antipathy"): no wrong option. */
const SAME_MEANING = 0.85;

/** How close each candidate is to the answer in meaning; undefined without word vectors, and for dates and numbers (chosen by shape). */
function closenessTo(answer: Term, vectors: WordVectors | null): ((candidate: Term) => number) | undefined {
  if (answer.kind === 'date' || answer.kind === 'number') return undefined;
  const meaning = vectors === null ? undefined : phraseMeaning(answer.text, vectors);
  if (meaning === undefined || vectors === null) return undefined;
  const cache = new Map<string, number>();
  return (candidate) => {
    let closeness = cache.get(candidate.text);
    if (closeness === undefined) {
      const other = phraseMeaning(candidate.text, vectors);
      closeness = other === undefined ? 0 : cosine(meaning, other);
      cache.set(candidate.text, closeness);
    }
    return closeness;
  };
}

/** Every question the article allows, each with all its possible wrong options. */
export function buildQuizBank(article: Article, sources: TermSources, vectors: WordVectors | null = sharedWordVectors()): QuizBank {
  const body = bodyParagraphs(article).map((paragraph) => paragraph.text);
  const text = quizText(article);
  const { located, pool } = articleTerms(article, sources);
  const poolTexts = new Set(pool.map((term) => term.text.toLowerCase()));
  const cloze: ClozeQuestion[] = [];
  for (const at of located) {
    const blank: Blank = { paragraph: at.paragraph, sentence: at.sentence, index: at.index, answer: at.term };
    // A date's wrong options include dates of its own shape nearby: the text's few other dates are seldom of its shape.
    const candidates = at.term.kind === 'date' ? [...pool, ...nearbyDates(at.term).filter((near) => !poolTexts.has(near.text.toLowerCase()))] : pool;
    const closeness = closenessTo(at.term, vectors);
    const distractors = candidates
      .filter((candidate) => distractorProblem(blank, candidate, text) === undefined && (closeness?.(candidate) ?? 0) < SAME_MEANING)
      .sort((a, b) => Number(a.shape !== at.term.shape) - Number(b.shape !== at.term.shape) || (closeness ? closeness(b) - closeness(a) : 0));
    if (groupsOf(distractors) >= OPTION_COUNT - 1) cloze.push({ kind: 'cloze', ...blank, distractors });
  }
  cloze.sort((a, b) => a.paragraph.number - b.paragraph.number || a.paragraph.text.indexOf(a.sentence) - b.paragraph.text.indexOf(b.sentence) || a.index - b.index);

  const enoughParagraphs = body.length >= OPTION_COUNT;
  const whichParagraph = bodySentences(article)
    .filter(({ sentence }) => enoughParagraphs && sentence.split(/\s+/).length >= MIN_QUOTED_WORDS)
    // A sentence written twice could come from either paragraph.
    .filter(({ sentence }) => body.filter((text) => text.includes(sentence)).length === 1)
    .map(({ paragraph, sentence }) => ({ kind: 'which-paragraph' as const, paragraph, sentence }));
  return { article, cloze, whichParagraph };
}

export interface QuizFilter {
  paragraph?: number;
  kind?: QuizKind;
}

/** The questions that match, of one kind or both. */
export function questionsFor(bank: QuizBank, filter: QuizFilter): QuizQuestion[] {
  const of = (kind: QuizKind): QuizQuestion[] => (kind === 'cloze' ? bank.cloze : bank.whichParagraph);
  const kinds = filter.kind === undefined ? QUIZ_KINDS : [filter.kind];
  return kinds.flatMap(of).filter((question) => filter.paragraph === undefined || question.paragraph.number === filter.paragraph);
}

/**
 * A question at random: first a quiz kind, then (for a blank) the kind of
 * term, then the question, so the few dates are asked as often as the many
 * places. Sentences in `recent` (the place's last quizzes) are left for
 * later while others remain.
 */
export function chooseQuestion(bank: QuizBank, filter: QuizFilter, random: Random, recent: ReadonlySet<string> = new Set()): QuizQuestion | undefined {
  const all = questionsFor(bank, filter);
  const fresh = all.filter((question) => !recent.has(question.sentence));
  const matching = fresh.length > 0 ? fresh : all;
  const kinds = QUIZ_KINDS.filter((kind) => matching.some((question) => question.kind === kind));
  const kind = pickOne(random, kinds);
  const ofKind = matching.filter((question) => question.kind === kind);
  if (kind !== 'cloze') return pickOne(random, ofKind);
  const termKinds = [...new Set(ofKind.map((question) => (question as ClozeQuestion).answer.kind))];
  const termKind = pickOne(random, termKinds) as TermKind;
  return pickOne(random, ofKind.filter((question) => question.kind === 'cloze' && question.answer.kind === termKind));
}

/**
 * Three wrong options of distinct groups, at random from the closest few of
 * the answer's shape (the bank's order), so a quiz asked again may differ.
 */
function pickDistractors(question: ClozeQuestion, random: Random): Term[] {
  const groups: Term[][] = [];
  for (const candidate of question.distractors) {
    const group = groups.find((terms) => terms[0]?.group === candidate.group);
    if (group) group.push(candidate);
    else groups.push([candidate]);
  }
  const shaped = groups.filter((terms) => terms[0]?.shape === question.answer.shape);
  const others = groups.filter((terms) => terms[0]?.shape !== question.answer.shape);
  const ranked = [...shuffled(random, shaped.slice(0, CLOSEST_OPTIONS)), ...shuffled(random, shaped.slice(CLOSEST_OPTIONS)), ...shuffled(random, others)];
  return ranked.slice(0, OPTION_COUNT - 1).map((terms) => pickOne(random, terms) as Term);
}

/**
 * The answer's ¶ and three others from anywhere in the text, in reading
 * order: four ¶s in a row would tell a sentence of ¶1 by its options alone.
 */
function paragraphChoices(answer: number, paragraphs: number, random: Random): number[] {
  const others = shuffled(
    random,
    Array.from({ length: paragraphs }, (_, index) => index + 1).filter((number) => number !== answer),
  ).slice(0, OPTION_COUNT - 1);
  return [answer, ...others].sort((a, b) => a - b);
}

/** Asks a question: its prompt and four options in the order shown. */
export function drawQuiz(question: QuizQuestion, paragraphCount: number, random: Random): DrawnQuiz {
  const { paragraph, sentence } = question;
  if (question.kind === 'which-paragraph') {
    const numbers = paragraphChoices(paragraph.number, paragraphCount, random);
    return { kind: 'which-paragraph', paragraph: paragraph.number, sentence, prompt: sentence, options: numbers.map((number) => `¶${number}`), answer: numbers.indexOf(paragraph.number) };
  }
  const { index, answer } = question;
  const options = shuffled(random, [answer, ...pickDistractors(question, random)]);
  return {
    kind: 'cloze',
    paragraph: paragraph.number,
    sentence,
    prompt: `${sentence.slice(0, index)}${BLANK}${sentence.slice(index + answer.text.length)}`,
    options: options.map((option) => option.text),
    answer: options.indexOf(answer),
  };
}

/** Where a bank's people and dates come from: the study guide, which finds each once. */
export interface QuizSources {
  readonly article: Article;
  people(): Promise<readonly Person[]>;
  timeline(): Promise<readonly TimelineEvent[]>;
}

const banks = new WeakMap<QuizSources, Promise<QuizBank>>();

/** The article's quiz bank, built on first use and kept (it parses every paragraph, a few hundred ms). */
export function quizBankOf(guide: QuizSources): Promise<QuizBank> {
  let bank = banks.get(guide);
  if (bank === undefined) {
    bank = Promise.all([guide.people(), guide.timeline()]).then(([people, timeline]) => buildQuizBank(guide.article, { people, timeline }));
    // A failure is not kept: the next quiz tries again.
    bank.catch(() => banks.delete(guide));
    banks.set(guide, bank);
  }
  return bank;
}
