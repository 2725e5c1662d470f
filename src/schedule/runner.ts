/**
 * Posts reading plans on time. The runner sleeps until the earliest due plan
 * (at most `maxWaitMs`), then takes each one step by step (due.ts decides,
 * this file does the I/O):
 *
 *   claim the message in the store → post it → complete (or release) the claim
 *
 * A claim still held when the runner looks is in doubt (the process stopped
 * mid-post, or the platform gave no answer): the channel's latest messages
 * settle it (`inDoubtOutcome`), and when they cannot, the message counts as
 * posted — at most once — and whoever started the plan is told.
 *
 * One runner per bot: the store's conditional writes keep a second one from
 * posting a claimed message, but two would each settle the other's claims.
 */
import type { Clock, CommandContext } from '../commands/types.ts';
import { bodyParagraphs, type Article } from '../corpus/types.ts';
import { footerOf } from '../reply/compose.ts';
import { textReply, type Reply } from '../reply/reply.ts';
import type { Library } from '../library.ts';
import type { ReadingPlan } from '../store/types.ts';
import { inDoubtOutcome, nextStep, type Step } from './due.ts';
import { partReply, rangeText } from './parts.ts';
import type { Poster, PostResult } from './poster.ts';
import { partExtras } from '../organizer/part-extras.ts';
import { DueJobs, WakeGroup, type Timer } from './loop.ts';

export interface RunnerOptions {
  /** Its store, library, logger and clock are the runner's. */
  context: CommandContext;
  poster: Poster;
  timer?: Timer;
  /** The longest sleep (timer ms): plans changed by another process, or a clock that jumps, are seen this soon. */
  maxWaitMs?: number;
  /** The shortest sleep between looks, so a failing store or platform is not hammered. */
  minWaitMs?: number;
  /** After a temporary failure (rate limited), the message is tried again this much later (clock ms). */
  retryMs?: number;
}

const DEFAULT_RETRY_MS = 5 * 60_000;
/** Messages one plan may post in one look: a part of 11 long paragraphs takes a few. */
const MESSAGES_PER_LOOK = 12;

const readingLoops = new WakeGroup();

/** Tells the runners in this process that a plan changed (started, resumed, asked to post now), so they look at once. */
export function readingPlansChanged(): void {
  readingLoops.wakeAll();
}

/** A channel's name for a person, or a plain description. */
async function channelLabel(poster: Poster, channelId: string): Promise<string> {
  return (await poster.channelName(channelId).catch(() => undefined)) ?? 'the plan’s channel';
}

export class ReadingRunner extends DueJobs<ReadingPlan> {
  private readonly retryMs: number;

  constructor(private readonly options: RunnerOptions) {
    const { context, timer, maxWaitMs, minWaitMs } = options;
    super({
      timer,
      maxWaitMs,
      minWaitMs,
      what: 'reading part',
      group: readingLoops,
      now: () => context.clock.now(),
      logger: () => context.logger,
      // Every plan with something to do: each is taken as far as it goes (a few messages at most).
      due: (now) => context.store.readingPlans.due(now),
      nextDueAt: () => context.store.readingPlans.nextDueAt(),
      handle: (plan) => this.advance(plan),
      perLook: Number.POSITIVE_INFINITY,
      describe: (plan) => ({ scope: plan.scope }),
    });
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  }

  private get context(): CommandContext {
    return this.options.context;
  }

  /** The context's clock, read each time, so whoever sets it (a test clock) is followed. */
  private get clock(): Clock {
    return this.context.clock;
  }

  /** Takes one plan as far as it goes now: a part (in one or more messages), or a claim in doubt and then the part. */
  private async advance(first: ReadingPlan): Promise<void> {
    let plan: ReadingPlan | undefined = first;
    for (let steps = 0; plan && steps < MESSAGES_PER_LOOK && !this.stopped; steps += 1) {
      // The plan's text: built in, or one the server brought (read from the store, so any worker can post it).
      const resolved = await this.context.texts.resolve(plan.scope, plan.article, this.context.library);
      // The store is out of reach: the plan waits for the next look, it is not paused.
      if ('unreachable' in resolved) return;
      const library = 'library' in resolved ? resolved.library : undefined;
      const article = library?.article(plan.article);
      if (!library || !article) {
        await this.pauseAndTell(plan, `the article “${plan.article}” is no longer in Footnote’s library`, ['Use /reading stop, then /reading start for the article Footnote has now.']);
        return;
      }
      const step = nextStep(plan, this.clock.now(), bodyParagraphs(article));
      if (step.kind === 'idle' || step.kind === 'wait') return;
      if (step.kind === 'past-the-end') {
        await this.pauseAndTell(plan, `the article has no ¶${plan.nextParagraph} any more (it was shortened)`, ['Use /reading stop, then /reading start to read it again.']);
        return;
      }
      const goOn = step.kind === 'post' ? await this.post(plan, step, article, library) : await this.settle(plan, step, article);
      if (!goOn) return;
      plan = await this.context.store.readingPlans.get(plan.scope);
    }
  }

  private async post(plan: ReadingPlan, step: Extract<Step, { kind: 'post' }>, article: Article, library: Library): Promise<boolean> {
    const { store, logger } = this.context;
    const { claim, message, progress } = step;
    // Changed since it was read (paused, stopped, posted by /reading next): leave it.
    if (!(await store.readingPlans.claim(plan.scope, claim))) return false;
    const extras = await partExtras(plan, message, progress.nextDueAt, this.context);
    const result = await this.options.poster.post(plan.channelId, partReply(article, message, library.guide(article), extras));
    const where = { scope: plan.scope, part: message.part, from: message.from, to: message.to, dueAt: claim.dueAt };
    switch (result.outcome) {
      case 'sent':
        await store.readingPlans.complete(plan.scope, claim, progress);
        logger.info({ ...where, postedAt: claim.claimedAt, lateMs: claim.claimedAt - claim.dueAt, nextDueAt: progress.finished ? undefined : progress.nextDueAt }, 'reading part posted');
        return true;
      case 'not-sent':
        await store.readingPlans.release(plan.scope, claim, this.clock.now() + this.retryMs);
        logger.warn({ ...where, detail: result.detail }, 'reading part not posted; trying again later');
        return false;
      case 'unknown':
        // The claim stays: the next look settles it from the channel.
        logger.warn({ ...where, detail: result.detail }, 'reading part may or may not have been posted');
        return false;
      case 'refused':
        await store.readingPlans.release(plan.scope, claim, claim.dueAt);
        logger.warn({ ...where, reason: result.reason, detail: result.detail }, 'reading part refused; pausing the plan');
        await this.pauseAndTell(plan, refusalReason(result), refusalAdvice(result), rangeText(message.from, message.to));
        return false;
    }
  }

  private async settle(plan: ReadingPlan, step: Extract<Step, { kind: 'in-doubt' }>, article: Article): Promise<boolean> {
    const { store, logger } = this.context;
    const { claim } = step;
    const recent = await this.options.poster.recentMessages(plan.channelId).catch(() => undefined);
    const outcome = inDoubtOutcome(claim, step.title, recent);
    const where = { scope: plan.scope, part: claim.part, from: claim.from, to: claim.to, dueAt: claim.dueAt, outcome };
    if (outcome === 'not-posted') {
      logger.info(where, 'reading part in doubt was not posted; posting it');
      return store.readingPlans.release(plan.scope, claim, claim.dueAt);
    }
    if (!(await store.readingPlans.complete(plan.scope, claim, step.progress))) return false;
    if (outcome === 'posted') {
      logger.info(where, 'reading part in doubt was posted');
      return true;
    }
    logger.warn(where, 'reading part in doubt counted as posted (at most once)');
    const range = rangeText(claim.from, claim.to);
    const channel = await channelLabel(this.options.poster, plan.channelId);
    await this.tell(plan, textReply('info', 'A reading part may be missing', [
      `Footnote stopped while posting ${range} of your server’s reading plan in ${channel}, and could not check whether it arrived.`,
      'So that nothing is posted twice, the plan goes on with the next part.',
      `If ${range} is missing, /passage shows each paragraph (for example /passage ${claim.from}).`,
    ], { footer: footerOf(article) }));
    return true;
  }

  /** Pauses an active plan and tells whoever started it, once. */
  private async pauseAndTell(plan: ReadingPlan, reason: string, advice: string[], range = rangeText(plan.nextParagraph, plan.nextParagraph)): Promise<void> {
    if (!(await this.context.store.readingPlans.pause(plan.scope, `Paused by Footnote: ${reason}`))) return;
    this.context.logger.warn({ scope: plan.scope, reason }, 'reading plan paused');
    const channel = await channelLabel(this.options.poster, plan.channelId);
    await this.tell(plan, textReply('info', 'Your reading plan is paused', [`Footnote could not post ${range} in ${channel}, so it paused your server’s reading plan: ${reason}.`, ...advice]));
  }

  private async tell(plan: ReadingPlan, reply: Reply): Promise<void> {
    const delivered = await this.options.poster.notifyUser(plan.startedBy, reply).catch(() => false);
    if (!delivered) this.context.logger.warn({ scope: plan.scope }, 'could not send a direct message to whoever started the reading plan');
  }
}

function refusalReason(result: Extract<PostResult, { outcome: 'refused' }>): string {
  switch (result.reason) {
    case 'forbidden':
      return `Footnote may not post there (${result.detail})`;
    case 'no-channel':
      return 'the channel no longer exists';
    case 'invalid':
      return `the message was not accepted (${result.detail})`;
  }
}

function refusalAdvice(result: Extract<PostResult, { outcome: 'refused' }>): string[] {
  switch (result.reason) {
    case 'forbidden':
      return ['Give Footnote the View Channel, Send Messages and Embed Links permissions in that channel, then use /reading resume in the server.'];
    case 'no-channel':
      return ['Use /reading stop, then /reading start in another channel.'];
    case 'invalid':
      return ['Use /reading resume to try again, or /reading stop to end the plan.'];
  }
}
