/**
 * Commands and buttons as the chat and Discord run them, for unit tests: a
 * typed line through the same parser, a button through its own custom_id (so
 * what it carries is what comes back, within Discord's 100 characters).
 */
import type { App } from '../../src/app.ts';
import { parseTextCommand } from '../../src/commands/parse-text.ts';
import type { Invoker } from '../../src/commands/types.ts';
import type { Reply, ReplyAction } from '../../src/reply/reply.ts';
import { runComponent } from '../../src/texts/run.ts';

export async function runLine(app: App, line: string, invoker: Invoker): Promise<Reply> {
  const parsed = parseTextCommand(line, app.commands, invoker);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle(parsed.input, app.context);
}

export async function pressButton(app: App, action: ReplyAction | undefined, invoker: Invoker): Promise<Reply> {
  if (!action) throw new Error('no such button');
  const customId = app.components.encode(action);
  if (customId === undefined) throw new Error(`${action.kind} does not fit a custom_id`);
  const decoded = app.components.decode(customId);
  if (!decoded.ok) throw new Error(`${customId} did not decode`);
  return runComponent(decoded.component, decoded.action, { invoker }, app.context);
}

/** A reply's lines as one text. */
export const textOf = (reply: Reply): string => reply.notes.join('\n');

/** The reply's first action of `kind` (that also matches `where`). */
export const actionOf = (reply: Reply, kind: string, where: (action: ReplyAction) => boolean = () => true): ReplyAction | undefined =>
  reply.actions.find((action) => action.kind === kind && where(action));
