/**
 * The terminal chat: the same commands and answers as on Discord, with no
 * token needed. Lines starting with "/" are commands; anything else is a
 * question. Buttons are pressed by typing: the component's own command
 * ("/passage 9"), its shortcut ("/more"), or "/press N".
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../app.ts';
import { StaleComponentError } from '../commands/components.ts';
import { parseTextCommand } from '../commands/parse-text.ts';
import { findCommand } from '../commands/registry.ts';
import { LOCAL_INVOKER, type Invoker } from '../commands/types.ts';
import { textReply, type Reply, type ReplyAction } from '../reply/reply.ts';
import { renderForTerminal } from './render.ts';
import { runCommand, runComponent } from '../texts/run.ts';
import { ReminderRunner, type DirectMessenger } from '../review/reminders.ts';
import { AssignmentReminders } from '../organizer/reminders.ts';

export interface ChatOptions {
  input: Readable;
  output: Writable;
  /** Colour and a prompt, for a person at a terminal. */
  interactive: boolean;
}

const EXIT_WORDS = new Set(['/quit', '/exit', '/q']);

/** What the chat remembers between lines: the buttons of the last reply that had any. */
export interface ChatState {
  actions: ReplyAction[];
}

/** The action a "/<word>" or "/press N" line stands for, a reply saying why there is none, or undefined for other lines. */
function pressed(line: string, app: App, state: ChatState): { action: ReplyAction } | { reply: Reply } | undefined {
  const press = /^\/press\s+(\d+)$/i.exec(line);
  if (press) {
    const action = state.actions[Number(press[1]) - 1];
    return action ? { action } : { reply: textReply('info', 'Nothing to press', [`The last reply has no button ${press[1]}.`]) };
  }
  const word = /^\/([a-z-]+)$/i.exec(line)?.[1]?.toLowerCase();
  if (word === undefined || findCommand(app.commands, word)) return undefined;
  const action = state.actions.find((candidate) => app.components.forAction(candidate)?.shortcut?.word === word);
  if (action) return { action };
  const known = app.commands.flatMap((command) => command.components ?? []).find((component) => component.shortcut?.word === word);
  return known ? { reply: textReply('info', 'Nothing more', [known.shortcut?.unavailable ?? 'Nothing to do for that now.']) } : undefined;
}

/** Answers one line, as `invoker`; presses update `state`'s buttons through the reply they give. */
export async function answerLine(line: string, app: App, state: ChatState, invoker: Invoker = LOCAL_INVOKER): Promise<Reply> {
  const { context, commands } = app;
  const text = line.trim();
  const press = pressed(text, app, state);
  if (press && 'reply' in press) return press.reply;
  if (press) {
    const component = app.components.forAction(press.action);
    if (!component) return textReply('error', 'Nothing to press', ['That button no longer works.']);
    return runComponent(component, press.action, { invoker }, context);
  }
  if (!text.startsWith('/')) {
    const ask = findCommand(commands, 'ask');
    return ask ? runCommand(ask, { options: { question: line }, invoker }, context) : context.library.ask(line);
  }
  const parsed = parseTextCommand(line, commands, invoker);
  if ('error' in parsed) return textReply('error', 'Command not understood', [parsed.error]);
  return runCommand(parsed.command, parsed.input, context);
}

/** Runs the chat until the input ends; resolves when it has, after the last answer is written. */
export function runChat(app: App, options: ChatOptions): Promise<void> {
  const { output, interactive } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const { library } = app.context;
  if (interactive) {
    write(`Footnote — ask about “${library.mainArticle.title}” by ${library.mainArticle.author}.`);
    write('Type a question, or /help for commands, /quit to leave.\n');
  }
  const lines = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    lines.setPrompt('footnote> ');
    lines.prompt();
  }
  const state: ChatState = { actions: [] };
  // Reminders for the person here (/review remind, an assignment's Remind me) are printed in the chat at their time.
  const messenger: DirectMessenger = {
    sendDirect: async (userId, reply) => {
      if (userId !== LOCAL_INVOKER.userId) return 'failed';
      write(`${renderForTerminal(reply, { color: interactive, app })}\n`);
      return 'sent';
    },
  };
  const reminders = [new ReminderRunner({ context: app.context, messenger }), new AssignmentReminders({ context: app.context, messenger })];
  for (const runner of reminders) runner.start();
  // Lines are answered one at a time, in order, even when a handler is async.
  let queue = Promise.resolve();
  const answer = async (line: string) => {
    let reply: Reply;
    try {
      reply = await answerLine(line, app, state);
    } catch (error) {
      const stale = error instanceof StaleComponentError;
      reply = textReply('error', stale ? 'Nothing to press' : 'Something went wrong', [
        stale ? 'That button no longer works.' : `That could not be answered (${error instanceof Error ? error.message : String(error)}).`,
      ]);
    }
    // Each answer (or "not in the article") starts over: /more pages only the last question asked.
    if (reply.actions.length > 0 || reply.kind === 'answer' || reply.kind === 'not-found') state.actions = reply.actions;
    // A person at a terminal gets lines wrapped between words to its width; piped output is left whole.
    const columns = (output as Writable & { columns?: number }).columns;
    const view = { color: interactive, app, ...(interactive && columns !== undefined ? { width: columns } : {}) };
    write(`${renderForTerminal(reply, view)}\n`);
    // What Discord tells only the one who acted (an ephemeral follow-up) comes next, as text.
    if (reply.followUp) write(`${renderForTerminal({ ...reply.followUp, actions: [] }, view)}\n`);
  };
  let closed = false;
  lines.on('line', (line) => {
    if (closed) return;
    if (EXIT_WORDS.has(line.trim().toLowerCase())) {
      closed = true;
      lines.close();
      return;
    }
    queue = queue.then(async () => {
      if (line.trim() !== '') await answer(line);
      if (interactive && !closed) lines.prompt();
    });
  });
  return new Promise((resolve) => lines.once('close', () => void queue.then(() => Promise.all(reminders.map((runner) => runner.stop()))).then(() => resolve())));
}
