/**
 * The organizer's report on a scope's reading of one text: per paragraph,
 * the questions that cited it, those answered only with low confidence or not
 * at all near it, quiz misses, notes, Helpful votes and confusing flags; the
 * paragraphs that confused the group most, with their open questions;
 * assignment completion; each member's part, as counts. A summary, a CSV and
 * (heatmap.ts) a picture; no platform here.
 */
import type { CommandContext } from '../commands/types.ts';
import { counted } from '../commands/wording.ts';
import { bodyParagraphs, type Article } from '../corpus/types.ts';
import { displaySafe } from '../reply/sanitize.ts';
import { formatLocal } from '../schedule/timing.ts';
import type { Assignment, MemberFigures, ParagraphFigures, Scope } from '../store/types.ts';
import { truncate } from '../truncate.ts';
import { rangeLabel } from './assignment.ts';

/** Open questions read for the report: the scope keeps at most 500. */
const OPEN_QUESTIONS_READ = 500;
const ASSIGNMENTS_SHOWN = 5;
const MEMBERS_SHOWN = 10;
const MOST_CONFUSING = 3;
const QUESTIONS_SHOWN = 2;
const QUESTION_CHARS = 140;

export interface ParagraphRow extends ParagraphFigures {
  /** Open questions (about the text's subject, answered only with its closest passages) nearest this paragraph. */
  unanswered: number;
  opening: string;
}

export interface ReadingReport {
  article: Article;
  /** Every body paragraph, in order, with its figures (zeros where nothing happened). */
  rows: ParagraphRow[];
  /** Open questions per paragraph, newest first. */
  openQuestions: Map<number, string[]>;
  members: MemberFigures[];
  assignments: { assignment: Assignment; done: number }[];
  madeAt: number;
}

/**
 * How much a paragraph troubled the group: a flag says so outright (3), each
 * question it could not answer well and each quiz miss on it counts 1.
 */
export function troubleOf(row: ParagraphRow): number {
  return 3 * row.confusing + row.unanswered + row.quizMisses;
}

export async function buildReport(context: CommandContext, scope: Scope, now: number): Promise<ReadingReport> {
  const { store, library } = context;
  const article = library.mainArticle;
  const [figures, open, members, assignments] = await Promise.all([
    store.activity.paragraphs(scope, article.slug),
    store.openQuestions.list(scope, OPEN_QUESTIONS_READ),
    store.activity.members(scope),
    store.assignments.list(scope, ASSIGNMENTS_SHOWN * 4),
  ]);
  const openQuestions = new Map<number, string[]>();
  for (const question of open.questions) {
    // A question the text was judged not to be about at all ('none') is filed under no paragraph.
    if (question.confidence !== 'low') continue;
    const near = library.nearestParagraph(question.question);
    if (near?.article !== article.slug) continue;
    openQuestions.set(near.paragraph, [...(openQuestions.get(near.paragraph) ?? []), question.question]);
  }
  const byNumber = new Map(figures.map((row) => [row.paragraph, row]));
  const rows = bodyParagraphs(article).map((paragraph) => ({
    ...(byNumber.get(paragraph.number) ?? { paragraph: paragraph.number, answered: 0, low: 0, quizAnswers: 0, quizMisses: 0, notes: 0, helpful: 0, confusing: 0 }),
    unanswered: openQuestions.get(paragraph.number)?.length ?? 0,
    opening: paragraph.text,
  }));
  const ofText = assignments.filter((assignment) => assignment.article === article.slug).slice(0, ASSIGNMENTS_SHOWN);
  const progress = await Promise.all(ofText.map(async (assignment) => ({ assignment, done: (await store.assignments.progress(scope, assignment.id)).done })));
  return { article, rows, openQuestions, members, assignments: progress, madeAt: now };
}

/** "3 flags, 2 open questions, 4 of 9 quiz answers wrong". */
function troubleText(row: ParagraphRow): string {
  const parts = [
    ...(row.confusing > 0 ? [counted(row.confusing, 'confusing flag')] : []),
    ...(row.unanswered > 0 ? [counted(row.unanswered, 'open question')] : []),
    ...(row.quizAnswers > 0 ? [`${row.quizMisses} of ${counted(row.quizAnswers, 'quiz answer')} wrong`] : []),
  ];
  return parts.join(', ');
}

function memberLine(member: MemberFigures): string {
  const parts = [
    ...(member.notes > 0 ? [counted(member.notes, 'note')] : []),
    ...(member.quizAnswers > 0 ? [counted(member.quizAnswers, 'quiz answer')] : []),
    ...(member.votes > 0 ? [counted(member.votes, 'Helpful vote')] : []),
    ...(member.flags > 0 ? [counted(member.flags, 'flag')] : []),
    ...(member.done > 0 ? [counted(member.done, 'reading done', 'readings done')] : []),
  ];
  return `${displaySafe(member.displayName)}: ${parts.join(', ')}`;
}

/** The report's text: the most confusing paragraphs with their open questions, assignments, members' parts. */
export function reportSummary(report: ReadingReport, timeZone = 'UTC'): string[] {
  const troubled = [...report.rows].filter((row) => troubleOf(row) > 0).sort((a, b) => troubleOf(b) - troubleOf(a) || a.paragraph - b.paragraph).slice(0, MOST_CONFUSING);
  const totals = report.rows.reduce((sum, row) => ({ answered: sum.answered + row.answered + row.low, notes: sum.notes + row.notes, flags: sum.flags + row.confusing }), { answered: 0, notes: 0, flags: 0 });
  const lines = [`Questions answered: ${totals.answered} · notes: ${totals.notes} · confusing flags: ${totals.flags}. The picture shows every paragraph; darker is more.`, ''];
  if (troubled.length === 0) lines.push('No paragraph has been flagged, missed in quizzes or left with open questions yet.');
  else {
    lines.push('Most confusing:');
    for (const row of troubled) {
      lines.push(`¶${row.paragraph} — ${troubleText(row)}`);
      for (const question of (report.openQuestions.get(row.paragraph) ?? []).slice(0, QUESTIONS_SHOWN)) lines.push(`   “${truncate(displaySafe(question), QUESTION_CHARS)}”`);
    }
  }
  lines.push('');
  if (report.assignments.length === 0) lines.push('Assignments: none yet (/assign paragraphs:1-4 due:YYYY-MM-DD).');
  else {
    lines.push('Assignments:');
    for (const { assignment, done } of report.assignments) lines.push(`${rangeLabel(assignment.from, assignment.to)}, due ${formatLocal(assignment.dueAt, assignment.timeZone)}: ${counted(done, 'member')} done`);
  }
  lines.push('');
  if (report.members.length === 0) lines.push('Participation: nobody has written, answered, voted or flagged yet.');
  else {
    lines.push(`Participation (counts only${report.members.length > MEMBERS_SHOWN ? `, the ${MEMBERS_SHOWN} most active of ${report.members.length}` : ''}):`);
    for (const member of report.members.slice(0, MEMBERS_SHOWN)) lines.push(memberLine(member));
  }
  lines.push('', `Only you see this. Members see totals only. Made ${formatLocal(report.madeAt, timeZone)}.`);
  return lines;
}

/** A spreadsheet cell: quoted when it must be, and never read as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per paragraph, for a spreadsheet. */
export function reportCsv(report: ReadingReport): string {
  const header = ['paragraph', 'questions_answered', 'low_confidence', 'open_questions_near', 'quiz_answers', 'quiz_misses', 'quiz_miss_rate', 'notes', 'helpful_votes', 'confusing_flags', 'opening'];
  const rows = report.rows.map((row) => [
    row.paragraph,
    row.answered,
    row.low,
    row.unanswered,
    row.quizAnswers,
    row.quizMisses,
    row.quizAnswers === 0 ? '' : (row.quizMisses / row.quizAnswers).toFixed(2),
    row.notes,
    row.helpful,
    row.confusing,
    truncate(row.opening, 80),
  ]);
  return `${[header, ...rows].map((values) => values.map(cell).join(',')).join('\r\n')}\r\n`;
}
