/**
 * What every Discord handler needs (the app, the logger, the shared cooldown,
 * the deferral watchdog), how to run a command, and the one log line per
 * interaction or message.
 */
import { randomBytes } from 'node:crypto';
import type { Reply } from '../reply/reply.ts';
import type { App } from '../app.ts';
import type { Command, CommandInput } from '../commands/types.ts';
import type { Logger } from '../log.ts';
import type { Cooldown } from './cooldown.ts';
import type { Faults } from './faults.ts';
import type { Watchdog } from './watchdog.ts';

export interface Runtime {
  app: App;
  logger: Logger;
  cooldown: Cooldown;
  watchdog: Watchdog;
  faults?: Faults;
}

export type EventKind = 'slash' | 'context-menu' | 'button' | 'autocomplete' | 'dm' | 'mention';

export type Outcome = 'answered' | 'deferred' | 'cooldown' | 'invalid-button' | 'unknown-command' | 'handler-error' | 'rest-error';

/** Runs a command's handler (and the test fault hook before it). */
export async function runCommand(runtime: Runtime, command: Command, input: CommandInput): Promise<Reply> {
  await runtime.faults?.beforeHandler(input);
  return command.handle(input, runtime.app.context);
}

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
 * Runs `work` for one interaction or message and then logs one line: what,
 * which command, how long, how it ended; no content. Anything `work` throws is
 * a failure to send (5xx, a 429 past its wait, the network): logged with an
 * error id, never rethrown, so the bot goes on.
 */
export async function handleEvent(runtime: Runtime, kind: EventKind, command: string, work: (handling: Handling) => Promise<void>): Promise<void> {
  const startedAt = Date.now();
  let errorId: string | undefined;
  const handling: Handling = {
    outcome: 'answered',
    command,
    handlerFailed(error) {
      handling.outcome = 'handler-error';
      errorId = newErrorId();
      runtime.logger.error({ err: error, errorId, kind, command: handling.command }, 'command handler failed');
      return errorId;
    },
  };
  try {
    await work(handling);
  } catch (error) {
    handling.outcome = 'rest-error';
    errorId ??= newErrorId();
    runtime.logger.error({ err: error, errorId, kind, command: handling.command }, 'could not send the answer');
  }
  const level = handling.outcome === 'handler-error' || handling.outcome === 'rest-error' ? 'error' : 'info';
  runtime.logger[level]({ kind, command: handling.command, latencyMs: Date.now() - startedAt, outcome: handling.outcome, ...(errorId ? { errorId } : {}) }, 'handled');
}

export function apologyText(errorId: string): string {
  return `Sorry, something went wrong while answering that (error id ${errorId}). Please try again in a moment.`;
}
