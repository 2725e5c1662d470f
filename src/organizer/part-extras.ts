/**
 * What a reading-plan post carries for the group besides its paragraphs: each
 * paragraph's notes and a "confused me" button, the part's due time with Done
 * reading and Remind me (its last message; the part is due when the next one
 * comes), and, on the plan's last post, a recap. Read and written by the
 * runner just before it posts; without the store, the post goes out plain.
 */
import type { CommandContext } from '../commands/types.ts';
import { counted } from '../commands/wording.ts';
import type { PartExtras, PartMessage } from '../schedule/parts.ts';
import { nextSlot } from '../schedule/timing.ts';
import type { ReadingPlan } from '../store/types.ts';
import { truncate } from '../truncate.ts';
import { displaySafe } from '../reply/sanitize.ts';
import { assignmentActions, paragraphMarks } from './actions.ts';
import { dueLines, reminderTime } from './assignment.ts';
import { assignmentsChanged } from './reminders.ts';

const RECAP_QUESTIONS = 3;
const QUESTION_CHARS = 120;

export async function partExtras(plan: ReadingPlan, message: PartMessage, nextDueAt: number, context: CommandContext): Promise<PartExtras> {
  const { store, logger, clock } = context;
  const paragraphs = Array.from({ length: message.to - message.from + 1 }, (_, index) => message.from + index);
  const marks = await paragraphMarks(store, logger, plan.scope, plan.article, paragraphs);
  const lines = [...marks.lines];
  const actions = [...marks.actions];
  try {
    if (message.lastOfPart) {
      const now = clock.now();
      const dueAt = message.lastOfPlan ? nextSlot(now, plan) : nextDueAt;
      const from = (message.part - 1) * plan.paragraphsPerPart + 1;
      const assignment = await store.assignments.create(
        {
          scope: plan.scope,
          source: `plan:${plan.createdAt}:${message.part}`,
          article: plan.article,
          from,
          to: message.to,
          dueAt,
          timeZone: plan.timeZone,
          channelId: plan.channelId,
          createdBy: plan.startedBy,
          createdByName: plan.startedByName,
          remindAt: reminderTime(now, dueAt),
        },
        now,
      );
      assignmentsChanged();
      const { done } = await store.assignments.progress(plan.scope, assignment.id);
      lines.push(...dueLines(assignment, done, now));
      actions.push(...assignmentActions(assignment.id));
    }
    if (message.lastOfPlan) {
      const { questions, total } = await store.openQuestions.list(plan.scope, RECAP_QUESTIONS);
      lines.push(
        '',
        'To close the reading: /quiz start asks about the whole text; /note export gathers everyone’s notes; /review next goes over what you missed.',
        total === 0
          ? 'The group left no questions open.'
          : `Still open (${counted(total, 'question')}, /open-questions lists them): ${questions.map((question) => `“${truncate(displaySafe(question.question), QUESTION_CHARS)}”`).join(' · ')}`,
      );
    }
  } catch (error) {
    logger.warn({ err: error, scope: plan.scope }, 'a reading part goes out without its due time or recap');
  }
  return { lines, actions };
}
