/**
 * The one way through for every Discord event, whatever the transport:
 * cooldown → command → render → send → log. Interactions and chat messages
 * are routed to it (interactions.ts, messages.ts); the transport only moves
 * bytes. One log line per event: what, which command, how long, how it
 * ended — never the content.
 */
import type { EventKind, EventObserver, Outcome } from '../../observability/events.ts';
import { randomBytes } from 'node:crypto';
import { RateLimitError } from 'discord.js';
import type { App } from '../../app.ts';
import type { CommandInput } from '../../commands/types.ts';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../reply/reply.ts';
import type { Cooldown } from './cooldown.ts';
import type { Faults } from './faults.ts';
import type { Intake, Ticket, Tracked } from './intake.ts';

export interface PipelineServices {
  app: App;
  logger: Logger;
  cooldown: Cooldown;
  faults?: Faults;
  /** Orders work and acknowledges first under load (intake.ts); without it, work starts at once. */
  intake?: Intake;
  /** Told of every event once, as it is logged (the Prometheus counters). */
  metrics?: EventObserver;
}

export type { EventKind, EventObserver, Outcome } from '../../observability/events.ts';

/** What a handler tells `handleEvent` about its event, for the log line. */
export interface Handling {
  /** 'answered' unless set. */
  outcome: Outcome;
  /** The event was dropped on purpose (a flood): counted, and logged at debug level only. */
  quiet?: boolean;
  command: string;
  /** Records that the handler threw: logs the error with a new id and returns the id, for the apology. */
  handlerFailed(error: unknown): string;
  /** Records that the answer could not be sent: logs why with a new id and returns the id, for the apology. */
  sendFailed(error: unknown): string;
}

/** A short id that ties the apology a user sees to the logged error. */
function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Runs `work` for one interaction or message and then logs one line. Anything
 * `work` throws is a failure to send (5xx, a 429 past its wait, the network):
 * logged with an error id, never rethrown, so the bot goes on.
 */
export async function handleEvent(services: PipelineServices, kind: EventKind, command: string, work: (handling: Handling) => Promise<void>): Promise<void> {
  const startedAt = Date.now();
  let errorId: string | undefined;
  const handling: Handling = {
    outcome: 'answered',
    command,
    handlerFailed(error) {
      handling.outcome = 'handler-error';
      errorId = newErrorId();
      services.logger.error({ err: error, errorId, kind, command: handling.command }, 'command handler failed');
      return errorId;
    },
    sendFailed(error) {
      handling.outcome = 'rest-error';
      errorId = newErrorId();
      services.logger.error({ err: describedError(error), errorId, kind, command: handling.command }, 'could not send the answer');
      return errorId;
    },
  };
  try {
    await work(handling);
  } catch (error) {
    handling.sendFailed(error);
  }
  const level = handling.outcome === 'handler-error' || handling.outcome === 'rest-error' ? 'error' : handling.quiet ? 'debug' : 'info';
  const latencyMs = Date.now() - startedAt;
  services.logger[level]({ kind, command: handling.command, latencyMs, outcome: handling.outcome, ...(errorId ? { errorId } : {}) }, 'handled');
  services.metrics?.observe(kind, handling.outcome, latencyMs);
}

/** A turn for one event's work from the services' intake, or at once when there is none. */
export function enter(services: PipelineServices, tracked: Tracked, ageMs = 0): Ticket {
  return services.intake?.enter(tracked, ageMs) ?? { queued: false, turn: Promise.resolve('run'), release() {}, done() {} };
}

/**
 * The error with a message that says what happened: discord.js's rate-limit
 * error has none, and an abort at an interaction's deadline says only that
 * it was aborted. Other errors are returned as they are.
 */
export function describedError(error: unknown): unknown {
  if (error instanceof RateLimitError && error.message === '') {
    const scope = error.global ? ', global limit' : '';
    return withMessage(error, `rate limited by Discord: retry after ${Math.round(error.retryAfter)} ms (${error.method.toUpperCase()} ${error.route.replace('%40', '@')}${scope}), too long to wait`, 'RateLimitError');
  }
  if (!(error instanceof Error)) return error;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return withMessage(error, 'Discord did not reply before the interaction\'s deadline');
  return error;
}

/** A copy of `error` (its name and stack, its REST details) with another message: some errors' messages cannot be set. */
function withMessage(error: Error, message: string, name = error.name): Error {
  const described = Object.assign(new Error(message, { cause: error }), { name });
  const { status, code, method, url } = error as Error & Record<string, unknown>;
  Object.assign(described, { status, code, method, url });
  if (error.stack) described.stack = `${name}: ${message}${error.stack.slice(error.stack.indexOf('\n'))}`;
  return described;
}

/** Discord refused the message itself (400, not "already acknowledged"): a plain notice may still go through. */
export function refusedContent(error: unknown): boolean {
  const refused = error as { status?: unknown; code?: unknown } | null;
  return typeof refused === 'object' && refused !== null && refused.status === 400 && refused.code !== 40060;
}

/** Runs a handler (and the test fault hook before it, for commands). */
export async function produce(services: PipelineServices, run: () => Reply | Promise<Reply>, input?: CommandInput): Promise<Reply> {
  if (input) await services.faults?.beforeHandler(input);
  return run();
}

export type Settled = { ok: true; reply: Reply } | { ok: false; error: unknown };

export async function settle(work: () => Promise<Reply>): Promise<Settled> {
  try {
    return { ok: true, reply: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

export function apologyText(errorId: string): string {
  return `Sorry, something went wrong while answering that (error id ${errorId}). Please try again in a moment.`;
}

export function undeliveredText(errorId: string): string {
  return `Sorry, Discord did not take my answer (error id ${errorId}). Please try again in a moment.`;
}

export function busyText(): string {
  return 'Sorry, Footnote is very busy right now and could not get to your question in time. Please ask again in a minute.';
}

export function stoppingText(): string {
  return 'Footnote is restarting and could not answer this. Please ask again in a minute.';
}
