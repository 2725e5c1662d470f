/**
 * When a card comes back: FSRS (ts-fsrs, default parameters: 90 % retention,
 * learning steps of 1 and 10 minutes, no fuzz, so the same grades at the same
 * times give the same days). The scheduler's card is kept as JSON, whatever
 * its fields become in later versions; nothing else reads it.
 */
import { createEmptyCard, fsrs, Rating, State, type Card, type CardInput, type Grade } from 'ts-fsrs';

const scheduler = fsrs();

export const GRADES = ['again', 'hard', 'good', 'easy'] as const;
export type GradeName = (typeof GRADES)[number];

const RATING: Record<GradeName, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

export interface Scheduled {
  /** The scheduler's state, to keep with the card. */
  schedule: string;
  dueAt: number;
  /** 1–4, as logged. */
  rating: number;
  /** The state the card was in before: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
}

function cardOf(schedule: string): CardInput {
  return JSON.parse(schedule) as CardInput;
}

/** A card never reviewed, due at `now`. */
export function newSchedule(now: number): { schedule: string; dueAt: number } {
  const card = createEmptyCard(new Date(now));
  return { schedule: JSON.stringify(card), dueAt: card.due.getTime() };
}

export function gradeCard(schedule: string, grade: GradeName, now: number): Scheduled {
  const before = cardOf(schedule);
  const { card } = scheduler.next(before, new Date(now), RATING[grade]);
  return { schedule: JSON.stringify(card), dueAt: card.due.getTime(), rating: RATING[grade], state: stateNumber(before.state) };
}

/** When each grade would bring the card back, for the buttons. */
export function previewGrades(schedule: string, now: number): Record<GradeName, number> {
  const preview = scheduler.repeat(cardOf(schedule), new Date(now));
  return Object.fromEntries(GRADES.map((grade) => [grade, (preview[RATING[grade]].card as Card).due.getTime()])) as Record<GradeName, number>;
}

function stateNumber(state: CardInput['state']): number {
  return typeof state === 'number' ? state : State[state];
}

/** 0 new … 3 relearning, read from a kept schedule. */
export function stateOf(schedule: string): number {
  return stateNumber(cardOf(schedule).state);
}

export const REVIEW_STATE = State.Review;
