import { StaleComponentError } from '../src/commands/components.ts';
import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { cannotSave } from '../src/commands/wording.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import type { AssignmentDoneAction, AssignmentRemindAction } from '../src/organizer/actions.ts';
import { assignmentReply, dueTime, parseRange, rangeLabel, reminderTime } from '../src/organizer/assignment.ts';
import { assignmentsChanged } from '../src/organizer/reminders.ts';
import { textReply, type Reply } from '../src/reply/reply.ts';
import { canonicalZone, parseTimeOfDay, zoneChoices } from '../src/schedule/timing.ts';
import { scopeFor, type Assignment } from '../src/store/types.ts';
import { articleOption, contextFor } from '../src/texts/run.ts';

const DEFAULT_TIME = '23:59';
const EXAMPLE = '/assign paragraphs:1-4 due:2026-12-12 at:18:00 timezone:Europe/Berlin';

function refuse(title: string, lines: string[]): Reply {
  return textReply('error', title, lines, { private: true });
}

async function assign(options: Record<string, unknown>, invoker: Invoker, { library, store, clock }: CommandContext): Promise<Reply> {
  if (invoker.guildId === undefined) return refuse('Assignments need a server', ['An assignment is posted for a group in a server channel. Here, read at your own pace with /passage 1, /passage 2, …']);
  if (!invoker.permissions.manageGuild) return refuse('Manage Server needed', ['Only members with the Manage Server permission can set reading assignments.']);
  const article = library.mainArticle;
  const total = bodyParagraphs(article).length;
  const range = parseRange(String(options.paragraphs ?? ''));
  if (!range || range.to > total) return refuse('Which paragraphs?', [`Give a range within ¶1–¶${total}, such as paragraphs:1-4 (or one paragraph, paragraphs:5). For example ${EXAMPLE}.`]);
  const zoneGiven = typeof options.timezone === 'string' && options.timezone.trim() !== '';
  const timeZone = zoneGiven ? canonicalZone(String(options.timezone)) : 'UTC';
  if (!timeZone) return refuse('Unknown time zone', [`“${String(options.timezone)}” is not a time zone Footnote knows: use a name like Europe/Berlin, America/New_York or UTC.`]);
  const atText = typeof options.at === 'string' && options.at.trim() !== '' ? options.at : DEFAULT_TIME;
  const time = parseTimeOfDay(atText);
  if (!time) return refuse('Not a time of day', [`“${atText}” is not a time: use 24-hour HH:MM, such as 18:00.`]);
  const dueAt = dueTime(String(options.due ?? ''), time, timeZone);
  if (dueAt === undefined) return refuse('Not a date', [`“${String(options.due ?? '')}” is not a date: use YYYY-MM-DD, such as 2026-12-12.`]);
  const now = clock.now();
  if (dueAt <= now) return refuse('That time has passed', ['The due time must be in the future.']);
  const scope = scopeFor(invoker);
  let assignment: Assignment;
  try {
    assignment = await store.assignments.create(
      {
        scope,
        // Unique per command: the interaction's moment and who asked.
        source: `assign:${invoker.userId}:${now}`,
        article: article.slug,
        ...range,
        dueAt,
        timeZone,
        channelId: invoker.channelId,
        createdBy: invoker.userId,
        createdByName: invoker.displayName,
        remindAt: reminderTime(now, dueAt),
      },
      now,
    );
  } catch (error) {
    return cannotSave(error, 'set the assignment');
  }
  assignmentsChanged();
  const reply = assignmentReply(assignment, article, 0, now);
  return zoneGiven ? reply : { ...reply, notes: [...reply.notes, 'Times are in UTC: add timezone:Europe/Berlin (or your own zone) for local time.'] };
}

/** The post again, with its count now. */
async function currentPost(assignment: Assignment, invoker: Invoker, given: CommandContext): Promise<Reply> {
  const context = await contextFor(given, invoker, assignment.article);
  const article = context.library.article(assignment.article);
  if (!article) throw new StaleComponentError();
  const { done } = await context.store.assignments.progress(assignment.scope, assignment.id);
  return assignmentReply(assignment, article, done, context.clock.now());
}

async function markDone({ assignment: id }: AssignmentDoneAction, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const { store, clock } = context;
  const scope = scopeFor(invoker);
  const assignment = await store.assignments.get(scope, id);
  if (!assignment) throw new StaleComponentError();
  let result: { done: boolean; count: number } | undefined;
  try {
    result = await store.assignments.toggleDone(scope, id, { userId: invoker.userId, displayName: invoker.displayName }, clock.now());
  } catch (error) {
    return cannotSave(error, 'mark it done');
  }
  if (!result) throw new StaleComponentError();
  const range = rangeLabel(assignment.from, assignment.to);
  const told = result.done
    ? textReply('info', `${range}: done`, [`Marked done: you have read ${range}. Press Done reading again if that was a slip.`], { private: true })
    : textReply('info', `${range}: not done`, [`No longer marked done. Press Done reading when you have read ${range}.`], { private: true });
  return { ...(await currentPost(assignment, invoker, context)), followUp: told };
}

async function remindMe({ assignment: id }: AssignmentRemindAction, invoker: Invoker, { store, clock }: CommandContext): Promise<Reply> {
  const scope = scopeFor(invoker);
  const assignment = await store.assignments.get(scope, id);
  if (!assignment) throw new StaleComponentError();
  let wants: boolean | undefined;
  try {
    wants = await store.assignments.toggleReminder(scope, id, { userId: invoker.userId, displayName: invoker.displayName });
  } catch (error) {
    return cannotSave(error, 'set your reminder');
  }
  if (wants === undefined) throw new StaleComponentError();
  const range = rangeLabel(assignment.from, assignment.to);
  if (!wants) return textReply('info', 'No reminder', [`You will not be reminded about ${range}.`], { private: true });
  const late = assignment.reminded || assignment.remindAt <= clock.now();
  return textReply(
    'info',
    'Reminder set',
    [
      late
        ? `The reminders for ${range} have gone out already; it is due soon.`
        : `Footnote will send you a direct message before ${range} is due, unless you have pressed Done reading by then. Keep direct messages from this server’s members open.`,
      'Press Remind me again to cancel.',
    ],
    { private: true },
  );
}

/** "Done reading": updates the post's count for all, tells the clicker privately. State: "<assignment id>". */
const doneButton: Component<AssignmentDoneAction> = {
  kind: 'assignment-done',
  key: 'ad',
  version: 1,
  type: 'button',
  style: 'success',
  answer: 'update',
  encode: ({ assignment }) => String(assignment),
  decode: (text) => (/^\d{1,15}$/.test(text) ? { kind: 'assignment-done', assignment: Number(text) } : undefined),
  label: () => 'Done reading',
  handle: (action, { invoker }, context) => markDone(action, invoker, context),
};

/** "Remind me": a direct message before the due time to those not done. State: "<assignment id>". */
const remindButton: Component<AssignmentRemindAction> = {
  kind: 'assignment-remind',
  key: 'ar',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ assignment }) => String(assignment),
  decode: (text) => (/^\d{1,15}$/.test(text) ? { kind: 'assignment-remind', assignment: Number(text) } : undefined),
  label: () => 'Remind me',
  handle: (action, { invoker }, context) => remindMe(action, invoker, context),
};

const assignCommand: Command = {
  definition: {
    name: 'assign',
    description: 'Ask the group to read paragraphs by a time, with a Done reading button (Manage Server)',
    options: [
      { type: OptionType.String, name: 'paragraphs', description: 'Which paragraphs, as 1-4 (or one: 5)', required: true, max_length: 20 },
      { type: OptionType.String, name: 'due', description: 'The day, as YYYY-MM-DD', required: true, max_length: 10 },
      { type: OptionType.String, name: 'at', description: `The time that day, HH:MM (${DEFAULT_TIME} if not given)`, max_length: 5 },
      { type: OptionType.String, name: 'timezone', description: 'Time zone such as Europe/Berlin (UTC if not given)', max_length: 64, autocomplete: true },
      articleOption,
    ],
  },
  handle: ({ options, invoker }, context) => assign(options, invoker, context),
  autocomplete: (optionName, partial) => (optionName === 'timezone' ? zoneChoices(partial) : []),
  components: [doneButton, remindButton],
};

export default assignCommand;
