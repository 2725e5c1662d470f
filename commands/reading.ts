import { OptionType, type Command, type CommandContext, type CommandInput, type Invoker } from '../src/commands/types.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply, type Reply } from '../src/reply/reply.ts';
import { cannotSave, counted } from '../src/commands/wording.ts';
import { partCount, partOf, partRange, rangeText } from '../src/schedule/parts.ts';
import { readingPlansChanged } from '../src/schedule/runner.ts';
import { CADENCES, canonicalZone, describeSchedule, formatLocal, formatTimeOfDay, nextSlot, parseTimeOfDay, scheduleFrom, zoneChoices } from '../src/schedule/timing.ts';
import { guildScope, type ReadingCadence, type ReadingPlan, type Scope } from '../src/store/types.ts';
import { articleOption } from '../src/texts/run.ts';

/** Paragraphs per part: up to a whole short article at once. */
export const MAX_PARAGRAPHS_PER_PART = 11;
const DEFAULT_ZONE = 'UTC';
const SNOWFLAKE = /^\d{17,20}$/;
const EXAMPLE = '/reading start paragraphs:3 every:day at:18:00 timezone:Europe/Berlin';

const refuse = (title: string, lines: string[]): Reply => textReply('error', title, lines, { private: true });

function needsServer(): Reply {
  return textReply(
    'info',
    'Reading plans need a server',
    ['A reading plan posts the article a few paragraphs at a time in a server channel, so it can only be started in a server (by someone with Manage Server).', 'Here, read at your own pace with /passage 1, /passage 2, …'],
    { private: true },
  );
}

function needsManageServer(what: string): Reply {
  return refuse('Manage Server needed', [`Only members with the Manage Server permission can ${what} the server’s reading plan. /reading status shows it to everyone.`]);
}

function noPlan(): Reply {
  return textReply('info', 'No reading plan', [`This server has no reading plan. Someone with Manage Server can start one, for example ${EXAMPLE}.`], { private: true });
}

/** The server the invoker is in, or a reply saying why there is none or why they may not. */
function serverOf(invoker: Invoker, what?: string): Scope | Reply {
  if (invoker.guildId === undefined) return needsServer();
  if (what !== undefined && !invoker.permissions.manageGuild) return needsManageServer(what);
  return guildScope(invoker.guildId);
}

/** "every day at 09:00 (Europe/Berlin), in this channel". */
function whereAndWhen(plan: Pick<ReadingPlan, 'every' | 'at' | 'timeZone' | 'weekday' | 'channelId'>, invoker: Invoker): string {
  return `${describeSchedule(plan)}, ${plan.channelId === invoker.channelId ? 'in this channel' : 'in another channel of this server'}`;
}

/** "¶4–¶6 next, 1 of 4 parts posted", or that it is finished. */
function position(plan: ReadingPlan, total: number): string {
  const parts = partCount(total, plan.paragraphsPerPart);
  if (plan.status === 'finished' || plan.nextParagraph > total) return `Finished: all ${counted(parts, 'part')} posted.`;
  const { to } = partRange(partOf(plan.nextParagraph, plan.paragraphsPerPart), plan.paragraphsPerPart, total);
  return `${rangeText(plan.nextParagraph, to)} next, ${plan.partsPosted} of ${counted(parts, 'part')} posted.`;
}

function dateOf(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(epochMs));
}

async function start({ options, invoker }: CommandInput, { library, store, clock }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker, 'start');
  if (typeof scope !== 'string') return scope;
  const paragraphs = Number(options.paragraphs);
  if (!Number.isInteger(paragraphs) || paragraphs < 1 || paragraphs > MAX_PARAGRAPHS_PER_PART) {
    return refuse('Paragraphs per part', [`paragraphs is how many paragraphs each part posts: a whole number from 1 to ${MAX_PARAGRAPHS_PER_PART}, not “${String(options.paragraphs ?? '')}”.`]);
  }
  const every = String(options.every ?? '').trim().toLowerCase();
  if (!CADENCES.includes(every as ReadingCadence)) {
    return refuse('How often?', [`every is day, weekday (Monday to Friday) or week, not “${String(options.every ?? '')}”. For example: ${EXAMPLE}.`]);
  }
  const time = parseTimeOfDay(String(options.at ?? ''));
  if (!time) return refuse('What time?', [`“${String(options.at ?? '')}” is not a time of day: use 24-hour HH:MM, like 09:00 or 18:30.`]);
  const zoneGiven = typeof options.timezone === 'string' && options.timezone.trim() !== '';
  const timeZone = zoneGiven ? canonicalZone(String(options.timezone)) : DEFAULT_ZONE;
  if (!timeZone) return refuse('Unknown time zone', [`“${String(options.timezone)}” is not a time zone Footnote knows: use a name like Europe/Berlin, America/New_York, Asia/Kolkata or UTC.`]);
  const channelId = typeof options.channel === 'string' && options.channel !== '' ? options.channel : invoker.channelId;
  if (!SNOWFLAKE.test(channelId)) return refuse('Which channel?', ['Footnote cannot post in that channel: pick a text channel of this server.']);

  const now = clock.now();
  const article = library.mainArticle;
  const total = bodyParagraphs(article).length;
  const { schedule, firstAt } = scheduleFrom(now, every as ReadingCadence, formatTimeOfDay(time), timeZone);
  let plan: ReadingPlan | undefined;
  try {
    plan = await store.readingPlans.start(
      { scope, channelId, article: article.slug, paragraphsPerPart: paragraphs, ...schedule, startedBy: invoker.userId, startedByName: invoker.displayName, nextDueAt: firstAt },
      now,
    );
  } catch (error) {
    return cannotSave(error, 'start the reading plan');
  }
  if (!plan) {
    const existing = await store.readingPlans.get(scope);
    return refuse('This server already has a reading plan', [
      ...(existing ? [`${existing.status === 'paused' ? 'Paused' : 'Running'}: ${whereAndWhen(existing, invoker)}. ${position(existing, total)}`] : []),
      'One plan per server: /reading stop ends it, then /reading start begins a new one.',
    ]);
  }
  readingPlansChanged();
  const first = partRange(1, paragraphs, total);
  return textReply(
    'info',
    'Reading plan started',
    [
      `${invoker.displayName} started a reading plan of “${article.title}”: ${counted(partCount(total, paragraphs), 'part')} of ${counted(paragraphs, 'paragraph')}, ${whereAndWhen(plan, invoker)}.`,
      `First part (${rangeText(first.from, first.to)}): ${formatLocal(firstAt, timeZone)}.`,
      ...(zoneGiven ? [] : ['Times are in UTC: add timezone:Europe/Berlin (or your own zone) to /reading start for local time.']),
      'Each part is posted in full, cited, with a question to discuss. /reading status shows where the group is; /reading next posts the next part at once.',
    ],
    { footer: footerOf(article) },
  );
}

async function status({ invoker }: CommandInput, { library, store, clock }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker);
  if (typeof scope !== 'string') return scope;
  const plan = await store.readingPlans.get(scope);
  if (!plan) return noPlan();
  const article = library.article(plan.article);
  const total = article ? bodyParagraphs(article).length : plan.nextParagraph - 1;
  const now = clock.now();
  const state =
    plan.status === 'paused'
      ? `${plan.pausedReason ?? 'Paused'}. /reading resume starts it again.`
      : plan.status === 'active'
        ? `Next post: ${plan.nextDueAt <= now ? 'due now' : formatLocal(plan.nextDueAt, plan.timeZone)}.`
        : undefined;
  return textReply(
    'info',
    'Reading plan',
    [
      `${counted(plan.paragraphsPerPart, 'paragraph')} a part of “${article?.title ?? plan.article}”, ${whereAndWhen(plan, invoker)}.`,
      position(plan, total),
      ...(state ? [state] : []),
      `Started by ${plan.startedByName} on ${dateOf(plan.createdAt, plan.timeZone)}.`,
    ],
    { private: true, ...(article ? { footer: footerOf(article) } : {}) },
  );
}

async function next({ invoker }: CommandInput, { library, store, clock }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker, 'move on');
  if (typeof scope !== 'string') return scope;
  const plan = await store.readingPlans.get(scope);
  if (!plan) return noPlan();
  if (plan.status === 'paused') return refuse('The reading plan is paused', ['Use /reading resume first; the next part then follows at its time, or at once with /reading next.']);
  if (plan.status === 'finished') return refuse('The article is finished', ['Every part has been posted. /reading stop and /reading start begin again.']);
  try {
    await store.readingPlans.postNow(scope, clock.now());
  } catch (error) {
    return cannotSave(error, 'post the next part');
  }
  readingPlansChanged();
  const total = bodyParagraphs(library.article(plan.article) ?? library.mainArticle).length;
  const { to } = partRange(partOf(plan.nextParagraph, plan.paragraphsPerPart), plan.paragraphsPerPart, total);
  return textReply('info', 'Posting the next part', [`${rangeText(plan.nextParagraph, to)} is being posted now${plan.channelId === invoker.channelId ? ' in this channel' : ''}; after it the plan goes on at its usual time.`], {
    private: true,
  });
}

async function pause({ invoker }: CommandInput, { store }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker, 'pause');
  if (typeof scope !== 'string') return scope;
  const plan = await store.readingPlans.get(scope);
  if (!plan) return noPlan();
  if (plan.status !== 'active') return refuse(plan.status === 'paused' ? 'Already paused' : 'The article is finished', [plan.status === 'paused' ? 'The reading plan is paused already: /reading resume starts it again.' : 'There is nothing left to pause.']);
  try {
    if (!(await store.readingPlans.pause(scope, `Paused by ${invoker.displayName}`))) return refuse('Not paused', ['The reading plan changed meanwhile: see /reading status.']);
  } catch (error) {
    return cannotSave(error, 'pause the reading plan');
  }
  return textReply('info', 'Reading plan paused', [`${invoker.displayName} paused the reading plan. Nothing is posted until someone with Manage Server uses /reading resume.`]);
}

async function resume({ invoker }: CommandInput, { library, store, clock }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker, 'resume');
  if (typeof scope !== 'string') return scope;
  const plan = await store.readingPlans.get(scope);
  if (!plan) return noPlan();
  if (plan.status !== 'paused') return refuse(plan.status === 'active' ? 'Not paused' : 'The article is finished', [plan.status === 'active' ? 'The reading plan is running: /reading status shows when the next part comes.' : 'Every part has been posted. /reading stop and /reading start begin again.']);
  const nextDueAt = nextSlot(clock.now(), plan);
  try {
    if (!(await store.readingPlans.resume(scope, nextDueAt))) return refuse('Not resumed', ['The reading plan changed meanwhile: see /reading status.']);
  } catch (error) {
    return cannotSave(error, 'resume the reading plan');
  }
  readingPlansChanged();
  const total = bodyParagraphs(library.article(plan.article) ?? library.mainArticle).length;
  return textReply('info', 'Reading plan resumed', [`${invoker.displayName} resumed the reading plan. ${position({ ...plan, status: 'active' }, total)}`, `Next post: ${formatLocal(nextDueAt, plan.timeZone)}.`]);
}

async function stop({ invoker }: CommandInput, { library, store }: CommandContext): Promise<Reply> {
  const scope = serverOf(invoker, 'stop');
  if (typeof scope !== 'string') return scope;
  const plan = await store.readingPlans.get(scope);
  if (!plan) return noPlan();
  try {
    if (!(await store.readingPlans.stop(scope))) return noPlan();
  } catch (error) {
    return cannotSave(error, 'stop the reading plan');
  }
  const total = bodyParagraphs(library.article(plan.article) ?? library.mainArticle).length;
  return textReply('info', 'Reading plan stopped', [
    `${invoker.displayName} stopped the reading plan after ${plan.partsPosted} of ${counted(partCount(total, plan.paragraphsPerPart), 'part')}.`,
    `A new one starts with ${EXAMPLE}.`,
  ]);
}

const HANDLERS: Record<string, (input: CommandInput, context: CommandContext) => Promise<Reply>> = { start, status, next, pause, resume, stop };

/** The article posted a few paragraphs at a time, on a schedule, in one channel of the server. */
const reading: Command = {
  definition: {
    name: 'reading',
    description: 'A reading plan: the article posted a few paragraphs at a time, on a schedule',
    options: [
      {
        type: OptionType.Subcommand,
        name: 'start',
        description: 'Start posting the next paragraphs on a schedule (Manage Server)',
        options: [
          { type: OptionType.Integer, name: 'paragraphs', description: `Paragraphs per part (1–${MAX_PARAGRAPHS_PER_PART})`, required: true, min_value: 1, max_value: MAX_PARAGRAPHS_PER_PART },
          {
            type: OptionType.String,
            name: 'every',
            description: 'How often a part is posted',
            required: true,
            choices: [
              { name: 'every day', value: 'day' },
              { name: 'every weekday (Monday to Friday)', value: 'weekday' },
              { name: 'every week', value: 'week' },
            ],
          },
          { type: OptionType.String, name: 'at', description: 'Local time of day, 24-hour: 09:00, 18:30', required: true, max_length: 10 },
          { type: OptionType.String, name: 'timezone', description: 'Time zone such as Europe/Berlin or America/New_York (UTC if not given)', max_length: 64, autocomplete: true },
          { type: OptionType.Channel, name: 'channel', description: 'Where to post (this channel if not given)' },
          articleOption,
        ],
      },
      { type: OptionType.Subcommand, name: 'next', description: 'Post the next part now (Manage Server)' },
      { type: OptionType.Subcommand, name: 'status', description: 'Where the reading plan is, and when the next part comes' },
      { type: OptionType.Subcommand, name: 'pause', description: 'Pause the reading plan (Manage Server)' },
      { type: OptionType.Subcommand, name: 'resume', description: 'Resume a paused reading plan (Manage Server)' },
      { type: OptionType.Subcommand, name: 'stop', description: 'End the reading plan (Manage Server)' },
    ],
  },
  handle: (input, context) => {
    const handler = HANDLERS[input.subcommand ?? ''];
    return handler ? handler(input, context) : Promise.resolve(refuse('Which one?', ['Use /reading start, next, status, pause, resume or stop.']));
  },
  autocomplete: (optionName, partial) => (optionName === 'timezone' ? zoneChoices(partial) : []),
};

export default reading;
