/**
 * Answering an interaction within Discord's 3 s: the cooldown, the handler
 * raced against the deadline (answered directly when fast, deferred then
 * edited when slow), an apology with an error id when it throws, a logged REST
 * failure when Discord refuses, and one log line for all of it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { RepliableInteraction } from 'discord.js';
import type { Reply } from '../answer/reply.ts';
import { slowDownText } from './cooldown.ts';
import { renderNotice, type DiscordMessage } from './render.ts';
import { deferInteraction, sendToInteraction } from './respond.ts';
import { apologyText, logEvent, newErrorId, type EventKind, type Outcome, type Runtime } from './runtime.ts';

/** Latest moment to defer: Discord allows 3 s from creation; keep a margin for the network. */
const DEFER_BY_AGE_MS = 2_000;
const DEFER_AFTER_MS = 1_000;

export interface Answering {
  kind: EventKind;
  command: string;
  /** Visibility to defer with, when the handler is slow. */
  ephemeral: boolean;
  produce: () => Promise<Reply>;
  render: (reply: Reply) => DiscordMessage;
}

type Settled = { ok: true; reply: Reply } | { ok: false; error: unknown };

function deferAfterMs(interaction: RepliableInteraction): number {
  const age = Date.now() - interaction.createdTimestamp;
  return Math.min(DEFER_AFTER_MS, Math.max(0, DEFER_BY_AGE_MS - age));
}

/** The handler's result, or undefined if it is not ready within `ms`. */
async function within(pending: Promise<Settled>, ms: number): Promise<Settled | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([pending, delay(ms, undefined, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

export async function answer(runtime: Runtime, interaction: RepliableInteraction, job: Answering): Promise<void> {
  const startedAt = Date.now();
  let outcome: Outcome = 'answered';
  let errorId: string | undefined;
  try {
    const verdict = runtime.cooldown.take(interaction.user.id);
    if (!verdict.allowed) {
      outcome = 'cooldown';
      await sendToInteraction(interaction, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    const pending: Promise<Settled> = job.produce().then(
      (reply) => ({ ok: true, reply }),
      (error: unknown) => ({ ok: false, error }),
    );
    let settled = await within(pending, deferAfterMs(interaction));
    if (settled === undefined) {
      outcome = 'deferred';
      await deferInteraction(interaction, job.ephemeral);
      settled = await pending;
    }
    if (!settled.ok) {
      outcome = 'handler-error';
      errorId = newErrorId();
      runtime.logger.error({ err: settled.error, errorId, kind: job.kind, command: job.command }, 'command handler failed');
      await sendToInteraction(interaction, renderNotice(apologyText(errorId)));
      return;
    }
    await sendToInteraction(interaction, job.render(settled.reply));
  } catch (error) {
    // A REST failure (5xx, 429 past its wait, network): logged; the bot goes on.
    outcome = 'rest-error';
    errorId ??= newErrorId();
    runtime.logger.error({ err: error, errorId, kind: job.kind, command: job.command }, 'could not answer an interaction');
  } finally {
    logEvent(runtime, { kind: job.kind, command: job.command, startedAt, outcome, ...(errorId ? { errorId } : {}) });
  }
}

/** For interactions that cannot be answered at all (unknown command, forged button). */
export async function explain(runtime: Runtime, interaction: RepliableInteraction, kind: EventKind, command: string, outcome: Outcome, text: string): Promise<void> {
  const startedAt = Date.now();
  try {
    await sendToInteraction(interaction, renderNotice(text));
    logEvent(runtime, { kind, command, startedAt, outcome });
  } catch (error) {
    const errorId = newErrorId();
    runtime.logger.error({ err: error, errorId, kind, command }, 'could not answer an interaction');
    logEvent(runtime, { kind, command, startedAt, outcome: 'rest-error', errorId });
  }
}
