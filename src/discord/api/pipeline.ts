/**
 * The one way through for every Discord event, whatever the transport:
 * cooldown → command → render → send → log. Interactions and chat messages
 * are routed to it (interactions.ts, messages.ts); the transport only moves
 * bytes. One log line per event: what, which command, how long, how it
 * ended — never the content.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../app.ts';
import type { CommandInput } from '../../commands/types.ts';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../reply/reply.ts';
import type { Cooldown } from './cooldown.ts';
import type { Faults } from './faults.ts';

export interface PipelineServices {
  app: App;
  logger: Logger;
  cooldown: Cooldown;
  faults?: Faults;
  /** Told of every event once, as it is logged (the Prometheus counters). */
  metrics?: EventObserver;
}

export interface EventObserver {
  observe(kind: EventKind, outcome: Outcome, latencyMs: number): void;
}

export type EventKind = 'slash' | 'context-menu' | 'button' | 'select' | 'modal' | 'autocomplete' | 'dm' | 'mention';

export type Outcome = 'answered' | 'deferred' | 'cooldown' | 'invalid-button' | 'unknown-command' | 'invalid-input' | 'handler-error' | 'rest-error';

/** What a handler tells `handleEvent` about its event, for the log line. */
export interface Handling {
  /** 'answered' unless set. */
  outcome: Outcome;
  command: string;
  /** Records that the handler threw: logs the error with a new id and returns the id, for the apology. */
  handlerFailed(error: unknown): string;
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
  };
  try {
    await work(handling);
  } catch (error) {
    handling.outcome = 'rest-error';
    errorId ??= newErrorId();
    services.logger.error({ err: error, errorId, kind, command: handling.command }, 'could not send the answer');
  }
  const level = handling.outcome === 'handler-error' || handling.outcome === 'rest-error' ? 'error' : 'info';
  const latencyMs = Date.now() - startedAt;
  services.logger[level]({ kind, command: handling.command, latencyMs, outcome: handling.outcome, ...(errorId ? { errorId } : {}) }, 'handled');
  services.metrics?.observe(kind, handling.outcome, latencyMs);
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
