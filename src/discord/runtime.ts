/** What every Discord handler needs: the app, the logger, the shared cooldown, and how to run a command. */
import { randomBytes } from 'node:crypto';
import type { Reply } from '../answer/reply.ts';
import type { App } from '../app.ts';
import type { Command, CommandInput } from '../commands/types.ts';
import type { Logger } from '../log.ts';
import type { Cooldown } from './cooldown.ts';
import type { Faults } from './faults.ts';

export interface Runtime {
  app: App;
  logger: Logger;
  cooldown: Cooldown;
  faults?: Faults;
}

export type EventKind = 'slash' | 'context-menu' | 'button' | 'autocomplete' | 'dm' | 'mention';

export type Outcome = 'answered' | 'deferred' | 'cooldown' | 'invalid-button' | 'unknown-command' | 'handler-error' | 'rest-error';

/** Runs a command's handler; asynchronous so a slow one can be raced against the deadline. */
export async function runCommand(runtime: Runtime, command: Command, input: CommandInput): Promise<Reply> {
  await runtime.faults?.beforeHandler(input);
  return command.handle(input, runtime.app.context);
}

/** A short id that ties the apology a user sees to the logged error. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

/** The one log line per interaction or message: what, which command, how long, how it ended. No content. */
export function logEvent(runtime: Runtime, fields: { kind: EventKind; command: string; startedAt: number; outcome: Outcome; errorId?: string }): void {
  const { startedAt, ...rest } = fields;
  const level = fields.outcome === 'handler-error' || fields.outcome === 'rest-error' ? 'error' : 'info';
  runtime.logger[level]({ ...rest, latencyMs: Date.now() - startedAt }, 'handled');
}

export function apologyText(errorId: string): string {
  return `Sorry, something went wrong while answering that (error id ${errorId}). Please try again in a moment.`;
}
