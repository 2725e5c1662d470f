/**
 * What the two SQL stores (SQLite and Postgres) share: the rows their tables
 * hold, turned into the store's records the same way, and the checks both make
 * before a query. The memory store shares the checks.
 */
import type { Note, NoteQuery, Quiz, QuizKind, QuizScore, ReadingCadence, ReadingPlan, ReadingPlanStatus, Scope } from './types.ts';

export type NoteFilter = Pick<NoteQuery, 'article' | 'paragraph' | 'authorId'>;

export interface NoteRow {
  id: number;
  scope: string;
  article: string;
  paragraph: number;
  author_id: string;
  author_name: string;
  text: string;
  private: number;
  created_at: number;
}

export interface OpenQuestionRow {
  id: number;
  scope: string;
  question: string;
  asker_id: string;
  asker_name: string;
  confidence: string;
  asked_at: number;
}

export interface QuizAnswerRow {
  quiz_id: number;
  user_id: string;
  choice: number;
  correct: number;
  answered_at: number;
}

export interface QuizRow {
  id: number;
  scope: string;
  article: string;
  kind: string;
  paragraph: number;
  sentence: string;
  prompt: string;
  options: string;
  answer: number;
  started_by: string;
  revealed: number;
  created_at: number;
}

export interface QuizScoreRow {
  user_id: string;
  display_name: string;
  answered: number;
  correct: number;
}

export interface ReadingPlanRow {
  scope: string;
  channel_id: string;
  article: string;
  paragraphs_per_part: number;
  cadence: string;
  local_time: string;
  time_zone: string;
  weekday: number;
  started_by: string;
  started_by_name: string;
  status: string;
  paused_reason: string | null;
  next_paragraph: number;
  parts_posted: number;
  next_due_at: number;
  claim_part: number | null;
  claim_from: number | null;
  claim_to: number | null;
  claim_due_at: number | null;
  claimed_at: number | null;
  created_at: number;
}

/** SQLite reads LIMIT -1 as "no limit"; both stores refuse it instead. */
export function checkPage(limit: number, offset: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, not ${limit}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, not ${offset}`);
}

/** A quiz's answer index must name one of its options; both stores refuse anything else. */
export function checkQuiz(quiz: Pick<Quiz, 'options' | 'answer'>): void {
  if (quiz.options.length < 2) throw new RangeError(`a quiz needs at least two options, not ${quiz.options.length}`);
  if (!Number.isSafeInteger(quiz.answer) || quiz.answer < 0 || quiz.answer >= quiz.options.length) throw new RangeError(`answer ${quiz.answer} is not one of the ${quiz.options.length} options`);
}

export function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    scope: row.scope as Scope,
    article: row.article,
    paragraph: row.paragraph,
    authorId: row.author_id,
    authorName: row.author_name,
    text: row.text,
    private: row.private === 1,
    createdAt: row.created_at,
  };
}

export function toQuiz(row: QuizRow): Quiz {
  return {
    id: row.id,
    scope: row.scope as Scope,
    article: row.article,
    kind: row.kind as QuizKind,
    paragraph: row.paragraph,
    sentence: row.sentence,
    prompt: row.prompt,
    options: JSON.parse(row.options) as string[],
    answer: row.answer,
    startedBy: row.started_by,
    revealed: row.revealed === 1,
    createdAt: row.created_at,
  };
}

export function toQuizScore(row: QuizScoreRow): QuizScore {
  return { userId: row.user_id, displayName: row.display_name, answered: row.answered, correct: row.correct };
}

/** A plan's row; the claim on the message being posted is there only when all its columns are. */
export function toReadingPlan(row: ReadingPlanRow): ReadingPlan {
  const { claim_part: part, claim_from: from, claim_to: to, claim_due_at: dueAt, claimed_at: claimedAt } = row;
  const claim = part !== null && from !== null && to !== null && dueAt !== null && claimedAt !== null ? { part, from, to, dueAt, claimedAt } : undefined;
  return {
    scope: row.scope as Scope,
    channelId: row.channel_id,
    article: row.article,
    paragraphsPerPart: row.paragraphs_per_part,
    every: row.cadence as ReadingCadence,
    at: row.local_time,
    timeZone: row.time_zone,
    weekday: row.weekday,
    startedBy: row.started_by,
    startedByName: row.started_by_name,
    status: row.status as ReadingPlanStatus,
    ...(row.paused_reason === null ? {} : { pausedReason: row.paused_reason }),
    nextParagraph: row.next_paragraph,
    partsPosted: row.parts_posted,
    nextDueAt: row.next_due_at,
    ...(claim ? { claim } : {}),
    createdAt: row.created_at,
  };
}
