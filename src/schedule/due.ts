/**
 * What a reading plan needs now, decided from the plan, the time and the
 * article alone (no I/O, no timers), so a month of posting is checked in
 * milliseconds.
 *
 * - A due plan posts its next message; a part's later messages follow at once.
 * - After downtime the part that fell due is posted once, and the next part is
 *   due at the first slot after that post: missed days never come as a burst.
 * - A claim still held when the runner looks, and older than any post can take,
 *   is in doubt: the process stopped between claiming a message and confirming
 *   it, or could not tell whether the platform took it. `inDoubtOutcome` settles
 *   it. A younger claim is its holder's: the runner waits.
 */
import type { Paragraph } from '../corpus/types.ts';
import type { ReadingClaim, ReadingPlan, ReadingProgress } from '../store/types.ts';
import { messageFrom, messageTitle, partCount, partRange, type PartMessage } from './parts.ts';
import { nextSlot } from './timing.ts';

export type Step =
  /** Paused or finished, with nothing in doubt. */
  | { kind: 'idle' }
  | { kind: 'wait'; until: number }
  | { kind: 'post'; message: PartMessage; claim: ReadingClaim; progress: ReadingProgress }
  /** A claimed message may or may not have been posted; `title` is the mark it would carry. */
  | { kind: 'in-doubt'; claim: ReadingClaim; title: string; progress: ReadingProgress }
  /** The article has no ¶ at the plan's position any more (it was shortened). */
  | { kind: 'past-the-end' };

/** Where the plan goes after a message: the next part at the first slot after `now`, or at once for the rest of a part. */
function progressAfter(message: PartMessage, plan: ReadingPlan, now: number): ReadingProgress {
  const nextDueAt = message.lastOfPart && !message.lastOfPlan ? nextSlot(now, plan) : plan.nextDueAt;
  return { partDone: message.lastOfPart, finished: message.lastOfPlan, nextDueAt };
}

/** The message a claim stands for, as it was cut when claimed. */
function claimedMessage(claim: ReadingClaim, plan: ReadingPlan, total: number): PartMessage {
  const { from: partStart, to: partEnd } = partRange(claim.part, plan.paragraphsPerPart, total);
  return {
    part: claim.part,
    parts: partCount(total, plan.paragraphsPerPart),
    from: claim.from,
    to: claim.to,
    firstOfPart: claim.from === partStart,
    lastOfPart: claim.to >= partEnd,
    lastOfPlan: claim.to >= total,
  };
}

/**
 * A claim belongs to its holder this long: longer than any post can take
 * (discord.js gives a request 15 s and retries a failed one three times), so
 * another runner never reads the channel, finds nothing yet, and posts again.
 */
export const CLAIM_HOLD_MS = 2 * 60_000;

export function nextStep(plan: ReadingPlan, now: number, body: readonly Paragraph[]): Step {
  if (plan.claim && now < plan.claim.claimedAt + CLAIM_HOLD_MS) return { kind: 'wait', until: plan.claim.claimedAt + CLAIM_HOLD_MS };
  if (plan.claim) {
    const message = claimedMessage(plan.claim, plan, body.length);
    return { kind: 'in-doubt', claim: plan.claim, title: messageTitle(message), progress: progressAfter(message, plan, now) };
  }
  if (plan.status !== 'active') return { kind: 'idle' };
  if (plan.nextDueAt > now) return { kind: 'wait', until: plan.nextDueAt };
  const message = messageFrom(body, plan.paragraphsPerPart, plan.nextParagraph);
  if (!message) return { kind: 'past-the-end' };
  return {
    kind: 'post',
    message,
    claim: { part: message.part, from: message.from, to: message.to, dueAt: plan.nextDueAt, claimedAt: now },
    progress: progressAfter(message, plan, now),
  };
}

/** A message seen in the channel, as a platform reports it. */
export interface SeenMessage {
  /** The title of its first embed, if any. */
  title?: string;
  /** Posted by Footnote itself. */
  fromBot: boolean;
  /** Epoch ms. */
  at: number;
}

/** The channel's latest messages, newest first; `complete` when they are the channel's whole history. */
export interface RecentMessages {
  messages: SeenMessage[];
  complete: boolean;
}

/** Clocks differ a little between Footnote and the platform: a message this close to the claim counts as after it. */
export const CLOCK_SKEW_MS = 60_000;

/**
 * Whether a message in doubt went out. The rule: never post twice.
 * - Footnote's own message with that title is in the channel: it was posted
 *   (an older post of an earlier plan with the same title would also count:
 *   the error, if any, is a part not re-posted, never a part posted twice).
 * - The messages looked at reach back to before the claim, and it is not
 *   among them: it was not posted, and posting it now is safe.
 * - The channel cannot be read, or the look does not reach back that far:
 *   unknown. The caller then counts it as posted (at most once) and tells
 *   whoever started the plan.
 */
export function inDoubtOutcome(claim: ReadingClaim, title: string, recent: RecentMessages | undefined): 'posted' | 'not-posted' | 'unknown' {
  if (!recent) return 'unknown';
  if (recent.messages.some((message) => message.fromBot && message.title === title)) return 'posted';
  const reachesBack = recent.complete || recent.messages.some((message) => message.at < claim.claimedAt - CLOCK_SKEW_MS);
  return reachesBack ? 'not-posted' : 'unknown';
}
