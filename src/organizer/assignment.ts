/**
 * Assignments as a group sees them: the post (what to read, by when, how many
 * are done, with Done reading and Remind me), when its reminder goes out,
 * and the reminder itself. No platform here.
 */
import { DateTime } from 'luxon';
import { bodyParagraphs, type Article } from '../corpus/types.ts';
import { citationOf, footerOf } from '../reply/compose.ts';
import { textReply, type Reply } from '../reply/reply.ts';
import { formatLocal } from '../schedule/timing.ts';
import type { Assignment } from '../store/types.ts';
import { bodySentences } from '../study/outline.ts';
import { truncate } from '../truncate.ts';
import { assignmentActions } from './actions.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Each paragraph's opening as shown in the post. */
const OPENING_CHARS = 160;

/** "¶4–¶6", or "¶4". */
export function rangeLabel(from: number, to: number): string {
  return from === to ? `¶${from}` : `¶${from}–¶${to}`;
}

/** "1-4", "¶1–¶4", "3" → the range; anything else → undefined. */
export function parseRange(text: string): { from: number; to: number } | undefined {
  const match = /^\s*¶?\s*(\d{1,4})\s*(?:[-–—]|to)\s*¶?\s*(\d{1,4})\s*$/u.exec(text) ?? /^\s*¶?\s*(\d{1,4})\s*$/u.exec(text);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  return from >= 1 && to >= from ? { from, to } : undefined;
}

/** The due time of "YYYY-MM-DD" at "HH:MM" in a zone, or undefined for a date that is none. */
export function dueTime(date: string, time: { hour: number; minute: number }, timeZone: string): number | undefined {
  const day = DateTime.fromISO(date.trim(), { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim()) || !day.isValid) return undefined;
  return day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 }).toMillis();
}

/** A day before it is due, or halfway there when that is sooner than a day away. */
export function reminderTime(now: number, dueAt: number): number {
  return dueAt - Math.min(DAY_MS, Math.floor((dueAt - now) / 2));
}

/** The lines an assignment adds to a post: by when, and how many are done. */
export function dueLines(assignment: Pick<Assignment, 'dueAt' | 'timeZone'>, done: number, now: number): string[] {
  const when = formatLocal(assignment.dueAt, assignment.timeZone);
  const past = assignment.dueAt <= now;
  return [
    `${past ? 'Was due' : 'Due'}: ${when}. ${done === 0 ? 'Nobody has marked it done yet.' : `${done} ${done === 1 ? 'member has' : 'members have'} read it.`}`,
    'Press Done reading when you have; Remind me sends you a direct message before it is due if you have not.',
  ];
}

/** The /assign post: each paragraph's opening with its ¶, the due time, the count of those done, and the two buttons. */
export function assignmentReply(assignment: Assignment, article: Article, done: number, now: number): Reply {
  const openings = bodyParagraphs(article)
    .filter((paragraph) => paragraph.number >= assignment.from && paragraph.number <= assignment.to)
    .map((paragraph) => {
      const first = bodySentences(article).find((located) => located.paragraph === paragraph)?.sentence ?? paragraph.text;
      return `${citationOf(paragraph).label}: “${truncate(first, OPENING_CHARS)}”`;
    });
  return textReply(
    'info',
    `Reading assignment: ${rangeLabel(assignment.from, assignment.to)}`,
    [`${assignment.createdByName} asks the group to read ${rangeLabel(assignment.from, assignment.to)} of “${article.title}”.`, '', ...openings, '', ...dueLines(assignment, done, now)],
    { footer: footerOf(article), actions: assignmentActions(assignment.id) },
  );
}

/** The direct message before an assignment is due. */
export function assignmentReminder(assignment: Assignment, article: Article | undefined): Reply {
  const what = `${rangeLabel(assignment.from, assignment.to)}${article ? ` of “${article.title}”` : ''}`;
  return textReply('info', `Reading due soon: ${rangeLabel(assignment.from, assignment.to)}`, [
    `You asked to be reminded: ${what} is due ${formatLocal(assignment.dueAt, assignment.timeZone)}, and you have not marked it done.`,
    `/passage ${assignment.from} shows it; press Done reading on the post when you have read it.`,
  ]);
}
