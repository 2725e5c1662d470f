/**
 * Review cards made from what a person met: a quiz they got wrong, a sentence
 * they chose to remember, a paragraph's key terms, their own notes. Every card
 * keeps the verbatim sentence it cites and its ¶, so the answer side quotes
 * the text as it was. Nothing here touches the store or a platform.
 */
import { createHash } from 'node:crypto';
import { bodyParagraphs, type Article } from '../corpus/types.ts';
import type { Note, Quiz, Scope, NewReviewCard } from '../store/types.ts';
import { bodySentences } from '../study/outline.ts';
import type { QuizBank } from '../study/quiz.ts';
import { BLANK } from '../study/quiz-kinds.ts';
import { newSchedule } from './schedule.ts';

/** Cards `/review add paragraph:N` (or "Remember ¶N") adds at most: a paragraph's key sentences, not all of them. */
export const CARDS_PER_PARAGRAPH = 5;
/** A sentence shorter than this says too little to be recalled from its start. */
const MIN_SPLIT_WORDS = 8;

export interface Owner {
  scope: Scope;
  userId: string;
}

/** What a card says, before it is anyone's. */
export interface CardFace {
  kind: NewReviewCard['kind'];
  sourceKey: string;
  article: string;
  paragraph: number;
  front: string;
  back: string;
  sentence: string;
}

/** A short, stable fingerprint of a sentence: the same words make the same card. */
export function sentenceKey(sentence: string): string {
  return createHash('sha256').update(sentence.normalize('NFC').trim()).digest('hex').slice(0, 10);
}

export function ownedCard(face: CardFace, owner: Owner, now: number): NewReviewCard {
  return { ...face, ...owner, ...newSchedule(now), reps: 0 };
}

/** The quiz a person answered wrong, asked again: its own blank, or its sentence to place. */
export function quizFace(quiz: Quiz): CardFace {
  const answer = quiz.options[quiz.answer] ?? '';
  const base = { kind: 'quiz' as const, sourceKey: `quiz:${quiz.id}`, article: quiz.article, paragraph: quiz.paragraph, sentence: quiz.sentence };
  if (quiz.kind === 'which-paragraph') return { ...base, front: `Which paragraph says: “${quiz.sentence}”`, back: answer };
  return { ...base, front: `“${quiz.prompt}” (¶${quiz.paragraph}): what fills the blank?`, back: answer };
}

/**
 * A sentence to recall: one of its key terms blanked, as a quiz would (the
 * bank's first blank in it), or, when it has none, its first half to go on from.
 */
export function sentenceFace(article: Article, paragraph: number, sentence: string, bank: QuizBank | undefined): CardFace {
  const base = { kind: 'sentence' as const, sourceKey: `sentence:${article.slug}:${paragraph}:${sentenceKey(sentence)}`, article: article.slug, paragraph, sentence };
  const blank = bank?.cloze.find((question) => question.paragraph.number === paragraph && question.sentence === sentence);
  if (blank) {
    const prompt = `${sentence.slice(0, blank.index)}${BLANK}${sentence.slice(blank.index + blank.answer.text.length)}`;
    return { ...base, front: `“${prompt}” (¶${paragraph}): what fills the blank?`, back: blank.answer.text };
  }
  const words = sentence.split(/\s+/);
  if (words.length < MIN_SPLIT_WORDS) return { ...base, front: `¶${paragraph} of “${article.title}” has this short sentence: can you say it?`, back: sentence };
  const half = Math.ceil(words.length / 2);
  return { ...base, front: `“${words.slice(0, half).join(' ')} …” (¶${paragraph}): how does the sentence go on?`, back: `… ${words.slice(half).join(' ')}` };
}

/** The sentences of ¶N worth a card: those with a key term to blank first, up to `CARDS_PER_PARAGRAPH`. */
export function paragraphFaces(article: Article, paragraph: number, bank: QuizBank | undefined): CardFace[] {
  const sentences = bodySentences(article).filter((located) => located.paragraph.number === paragraph).map((located) => located.sentence);
  const blankable = new Set(bank?.cloze.filter((question) => question.paragraph.number === paragraph).map((question) => question.sentence) ?? []);
  const chosen = [...sentences.filter((sentence) => blankable.has(sentence)), ...sentences.filter((sentence) => !blankable.has(sentence))].slice(0, CARDS_PER_PARAGRAPH);
  // In reading order, so the deck goes through the paragraph as it is written.
  return sentences.filter((sentence) => chosen.includes(sentence)).map((sentence) => sentenceFace(article, paragraph, sentence, bank));
}

/** A body paragraph's number, if the article has it. */
export function hasParagraph(article: Article, paragraph: number): boolean {
  return bodyParagraphs(article).some((candidate) => candidate.number === paragraph);
}

/** A person's own note, recalled from the paragraph's opening sentence. */
export function noteFace(note: Note, article: Article): CardFace | undefined {
  const opening = bodySentences(article).find((located) => located.paragraph.number === note.paragraph)?.sentence;
  if (opening === undefined) return undefined;
  return {
    kind: 'note',
    sourceKey: `note:${note.id}`,
    article: note.article,
    paragraph: note.paragraph,
    front: `Your note on ¶${note.paragraph}, which opens “${opening}”: what did you note there?`,
    back: note.text,
    sentence: opening,
  };
}
