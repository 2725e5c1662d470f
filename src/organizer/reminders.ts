/**
 * Assignment reminders: when an assignment's reminder time comes, the members
 * who pressed Remind me and are not done get a direct message. The
 * assignment's reminders are claimed in one conditional write before any is
 * sent, so a restart or a second process never sends them twice.
 */
import type { CommandContext } from '../commands/types.ts';
import type { DirectMessenger } from '../review/reminders.ts';
import { WakeGroup, WakingLoop, type Timer } from '../schedule/loop.ts';
import type { Assignment } from '../store/types.ts';
import { assignmentReminder } from './assignment.ts';

const assignmentLoops = new WakeGroup();
const ASSIGNMENTS_PER_LOOK = 20;

/** Tells the runners in this process that an assignment was made, so they look at once. */
export function assignmentsChanged(): void {
  assignmentLoops.wakeAll();
}

export interface AssignmentRunnerOptions {
  context: CommandContext;
  messenger: DirectMessenger;
  timer?: Timer;
  maxWaitMs?: number;
  minWaitMs?: number;
}

export class AssignmentReminders {
  private readonly loop: WakingLoop;

  constructor(private readonly options: AssignmentRunnerOptions) {
    this.loop = new WakingLoop({
      look: () => this.look(),
      nextDueAt: () => this.context.store.assignments.nextReminderAt(),
      now: () => this.context.clock.now(),
      logger: () => this.context.logger,
      what: 'assignment reminder',
      group: assignmentLoops,
      ...(options.timer === undefined ? {} : { timer: options.timer }),
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
      ...(options.minWaitMs === undefined ? {} : { minWaitMs: options.minWaitMs }),
    });
  }

  private get context(): CommandContext {
    return this.options.context;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  async look(): Promise<void> {
    const { store, logger, clock } = this.context;
    let due: Assignment[];
    try {
      due = await store.assignments.dueReminders(clock.now(), ASSIGNMENTS_PER_LOOK);
    } catch (error) {
      logger.error({ err: error }, 'could not read the assignment reminders');
      return;
    }
    for (const assignment of due) {
      if (this.loop.isStopped) return;
      try {
        await this.remind(assignment);
      } catch (error) {
        logger.error({ err: error, scope: assignment.scope }, 'assignment reminders could not be sent');
      }
    }
    if (due.length === ASSIGNMENTS_PER_LOOK) this.loop.wake();
  }

  private async remind(assignment: Assignment): Promise<void> {
    const { store, logger, texts, library } = this.context;
    if (!(await store.assignments.claimReminders(assignment.id))) return;
    const members = await store.assignments.toRemind(assignment.id);
    const resolved = await texts.resolve(assignment.scope, assignment.article, library);
    const article = 'library' in resolved ? resolved.library.article(assignment.article) : undefined;
    let sent = 0;
    for (const userId of members) {
      if ((await this.options.messenger.sendDirect(userId, assignmentReminder(assignment, article))) === 'sent') sent += 1;
    }
    logger.info({ scope: assignment.scope, assignment: assignment.id, asked: members.length, sent }, 'assignment reminders sent');
  }
}
