/**
 * A deck's figures from its grades: reviewed today, the streak of days with a
 * review, and retention (the share of cards already learned that were
 * remembered, FSRS's own measure) over 30 days. Days are the person's own,
 * in their reminder's time zone, else UTC.
 */
import { DateTime } from 'luxon';
import type { ReviewLogEntry } from '../store/types.ts';
import { REVIEW_STATE } from './schedule.ts';

export const RETENTION_DAYS = 30;
/** The grades read for a streak: a longer one is shown as "at least". */
export const STREAK_DAYS = 365;

export interface ReviewStats {
  reviewedToday: number;
  /** Days in a row with a review, ending today (or yesterday, when none yet today). */
  streak: number;
  /** Remembered ÷ reviewed among learned cards in 30 days; undefined before any such review. */
  retention?: { remembered: number; reviewed: number };
}

function dayOf(epochMs: number, timeZone: string): string {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).toISODate() ?? '';
}

/** `log` holds the deck's grades of the last STREAK_DAYS days. */
export function reviewStats(log: readonly ReviewLogEntry[], now: number, timeZone: string): ReviewStats {
  const today = dayOf(now, timeZone);
  const days = new Set(log.map((entry) => dayOf(entry.reviewedAt, timeZone)));
  let day = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  if (!days.has(today)) day = day.minus({ days: 1 });
  let streak = 0;
  while (days.has(day.toISODate() ?? '')) {
    streak += 1;
    day = day.minus({ days: 1 });
  }
  const since = now - RETENTION_DAYS * 24 * 60 * 60 * 1000;
  const learned = log.filter((entry) => entry.reviewedAt >= since && entry.state === REVIEW_STATE);
  const remembered = learned.filter((entry) => entry.rating > 1).length;
  return {
    reviewedToday: log.filter((entry) => dayOf(entry.reviewedAt, timeZone) === today).length,
    streak,
    ...(learned.length === 0 ? {} : { retention: { remembered, reviewed: learned.length } }),
  };
}
