/**
 * Assignment reminders: when an assignment's reminder time comes, the members
 * who pressed Remind me and are not done get a direct message. The
 * assignment's reminders are claimed in one conditional write before any is
 * sent, so a restart or a second process never sends them twice.
 */
import type { CommandContext } from '../commands/types.ts';
import type { DirectMessenger } from '../review/reminders.ts';
import { DueJobs, WakeGroup, type RunnerTiming } from '../schedule/loop.ts';
import type { Assignment } from '../store/types.ts';
import { assignmentReminder } from './assignment.ts';

const assignmentLoops = new WakeGroup();
const ASSIGNMENTS_PER_LOOK = 20;

/** Tells the runners in this process that an assignment was made, so they look at once. */
export function assignmentsChanged(): void {
  assignmentLoops.wakeAll();
}

export interface AssignmentRunnerOptions extends RunnerTiming {
  context: CommandContext;
  messenger: DirectMessenger;
}

/** Sends each due assignment's reminders, once: claimed first, then sent to those who asked and are not done. */
export class AssignmentReminders extends DueJobs<Assignment> {
  constructor({ context, messenger, ...timing }: AssignmentRunnerOptions) {
    super({
      ...timing,
      what: 'assignment reminder',
      group: assignmentLoops,
      now: () => context.clock.now(),
      logger: () => context.logger,
      due: (now, limit) => context.store.assignments.dueReminders(now, limit),
      nextDueAt: () => context.store.assignments.nextReminderAt(),
      handle: (assignment) => remind(assignment, context, messenger),
      perLook: ASSIGNMENTS_PER_LOOK,
    });
  }
}

async function remind(assignment: Assignment, { store, logger, texts, library }: CommandContext, messenger: DirectMessenger): Promise<void> {
  if (!(await store.assignments.claimReminders(assignment.id))) return;
  const members = await store.assignments.toRemind(assignment.id);
  const resolved = await texts.resolve(assignment.scope, assignment.article, library);
  const article = 'library' in resolved ? resolved.library.article(assignment.article) : undefined;
  let sent = 0;
  for (const userId of members) {
    if ((await messenger.sendDirect(userId, assignmentReminder(assignment, article))) === 'sent') sent += 1;
  }
  logger.info({ scope: assignment.scope, assignment: assignment.id, asked: members.length, sent }, 'assignment reminders sent');
}
