/**
 * Daily review reminders: a direct message at a person's own time of day
 * when any of their decks has cards due. The runner claims a reminder by
 * moving it to its next day before sending, in one conditional write, so a
 * restart or a second process never sends it twice (a send cut short is a
 * day missed, never a second message). Closed DMs stop it; the person is
 * told on their next /review.
 */
import type { CommandContext, Invoker } from '../commands/types.ts';
import { cannotSave, counted } from '../commands/wording.ts';
import { textReply, type Reply } from '../reply/reply.ts';
import { DueJobs, WakeGroup, type RunnerTiming } from '../schedule/loop.ts';
import { canonicalZone, formatLocal, formatTimeOfDay, nextSlot, parseTimeOfDay } from '../schedule/timing.ts';
import type { ReviewReminder, Scope } from '../store/types.ts';

/** How a reminder reaches a person; 'closed' when they do not take direct messages from Footnote. */
export interface DirectMessenger {
  sendDirect(userId: string, reply: Reply): Promise<'sent' | 'closed' | 'failed'>;
}

const reminderLoops = new WakeGroup();
/** Reminders handled in one look; the rest follow at once in the next. */
const REMINDERS_PER_LOOK = 50;
export const DMS_CLOSED = 'Footnote could not send you a direct message (your DMs may be closed to it)';

/** Tells the runners in this process that a reminder changed, so they look at once. */
export function remindersChanged(): void {
  reminderLoops.wakeAll();
}

function dailyAt(at: string, timeZone: string): { every: 'day'; at: string; timeZone: string; weekday: number } {
  return { every: 'day', at, timeZone, weekday: 1 };
}

/** The zone named, else the person's reminder's, else UTC. */
export async function reminderTimeZone(option: string | undefined, invoker: Invoker, { store }: CommandContext): Promise<{ zone: string } | { error: string }> {
  if (option !== undefined && option.trim() !== '') {
    const zone = canonicalZone(option);
    return zone ? { zone } : { error: `“${option}” is not a time zone Footnote knows: use a name like Europe/Berlin, America/New_York, Asia/Kolkata or UTC.` };
  }
  const existing = await store.reviews.getReminder(invoker.userId).catch(() => undefined);
  return { zone: existing?.timeZone ?? 'UTC' };
}

export async function setReminder(at: string, timeZone: string, zoneGiven: boolean, invoker: Invoker, { store, clock }: CommandContext): Promise<Reply> {
  const time = parseTimeOfDay(at);
  if (!time) return textReply('error', 'Not a time of day', [`“${at}” is not a time: use 24-hour HH:MM, such as 08:30 or 19:00 (or at:off to stop reminders).`], { private: true });
  const when = formatTimeOfDay(time);
  const nextAt = nextSlot(clock.now(), dailyAt(when, timeZone));
  try {
    await store.reviews.setReminder({ userId: invoker.userId, at: when, timeZone, nextAt });
  } catch (error) {
    return cannotSave(error, 'set your reminder');
  }
  remindersChanged();
  return textReply(
    'info',
    'Daily review reminder set',
    [
      `Footnote will send you a direct message at ${when} (${timeZone}) on days when cards are due in any of your review decks. First look: ${formatLocal(nextAt, timeZone)}.`,
      ...(zoneGiven || timeZone !== 'UTC' ? [] : ['The time is in UTC: add timezone:Europe/Berlin (or your own zone) for local time.']),
      'Keep direct messages from this server’s members open, or the reminder cannot reach you. /review remind at:off stops it.',
    ],
    { private: true },
  );
}

export async function stopReminder(invoker: Invoker, { store }: CommandContext): Promise<Reply> {
  let removed: boolean;
  try {
    removed = await store.reviews.removeReminder(invoker.userId);
  } catch (error) {
    return cannotSave(error, 'stop your reminder');
  }
  if (removed) remindersChanged();
  return textReply('info', 'Daily review reminder', [removed ? 'Your reminder is off: no more direct messages about due cards.' : 'You had no reminder: nothing to stop.'], { private: true });
}

/** "7 cards are due: 5 in a server, 2 in your direct messages with Footnote." */
export function reminderReply(due: ReadonlyMap<Scope, number>, reminder: Pick<ReviewReminder, 'at' | 'timeZone'>): Reply {
  const total = [...due.values()].reduce((sum, count) => sum + count, 0);
  const servers = [...due.entries()].filter(([scope]) => scope.startsWith('guild:'));
  const inServers = servers.reduce((sum, [, count]) => sum + count, 0);
  const inDms = total - inServers;
  const parts = [
    ...(inServers > 0 ? [`${inServers} in ${servers.length === 1 ? 'a server' : `${servers.length} servers`}`] : []),
    ...(inDms > 0 ? [`${inDms} in your direct messages with Footnote`] : []),
  ];
  return textReply('info', `Review: ${counted(total, 'card')} due`, [
    `${total === 1 ? 'A card is' : `${total} cards are`} due for review: ${parts.join(', ')}.`,
    'Use /review next where you study, here or in the server.',
    `This reminder comes at ${reminder.at} (${reminder.timeZone}) on days with cards due; /review remind at:off stops it.`,
  ]);
}

export interface ReminderRunnerOptions extends RunnerTiming {
  context: CommandContext;
  messenger: DirectMessenger;
}

/** Sends each due reminder, once: claimed (moved to its next day) first, sent when cards are due. */
export class ReminderRunner extends DueJobs<ReviewReminder> {
  constructor({ context, messenger, ...timing }: ReminderRunnerOptions) {
    super({
      ...timing,
      what: 'review reminder',
      group: reminderLoops,
      now: () => context.clock.now(),
      logger: () => context.logger,
      due: (now, limit) => context.store.reviews.dueReminders(now, limit),
      nextDueAt: () => context.store.reviews.nextReminderAt(),
      handle: (reminder) => remind(reminder, context, messenger),
      perLook: REMINDERS_PER_LOOK,
    });
  }
}

async function remind(reminder: ReviewReminder, { store, logger, clock }: CommandContext, messenger: DirectMessenger): Promise<void> {
  const now = clock.now();
  const cards = await store.reviews.dueByScope(reminder.userId, now);
  const send = cards.size > 0;
  // The next day's time, after now: days missed while Footnote was down never come as a burst.
  const to = nextSlot(now, dailyAt(reminder.at, reminder.timeZone));
  if (!(await store.reviews.claimReminder(reminder.userId, reminder.nextAt, to, send))) return;
  if (!send) return;
  const outcome = await messenger.sendDirect(reminder.userId, reminderReply(cards, reminder));
  if (outcome === 'closed') {
    await store.reviews.stopReminder(reminder.userId, DMS_CLOSED);
    logger.warn({ user: reminder.userId }, 'review reminder stopped: direct messages are closed');
  } else if (outcome === 'failed') {
    logger.warn({ user: reminder.userId }, 'review reminder not delivered; the next is tomorrow');
  } else {
    logger.info({ user: reminder.userId, due: [...cards.values()].reduce((sum, count) => sum + count, 0) }, 'review reminder sent');
  }
}
