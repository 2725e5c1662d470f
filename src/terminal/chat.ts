/**
 * The terminal chat: the same commands and answers as on Discord, with no
 * token needed. Lines starting with "/" are commands; anything else is a question.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ReplyAction } from '../reply/reply.ts';
import { textReply, type Reply } from '../reply/reply.ts';
import type { App } from '../app.ts';
import { findCommand } from '../commands/registry.ts';
import { parseTextCommand } from '../commands/text.ts';
import { renderForTerminal } from './render.ts';

export interface ChatOptions {
  input: Readable;
  output: Writable;
  /** Colour and a prompt, for a person at a terminal. */
  interactive: boolean;
}

const EXIT_WORDS = new Set(['/quit', '/exit', '/q']);

/** Answers one line; `more` is the "More passages" action of the previous answer, if any. */
export function answerLine(line: string, app: App, more: ReplyAction | undefined): Reply {
  const { context, commands } = app;
  if (line.trim().toLowerCase() === '/more') {
    if (more?.kind !== 'more-passages') return textReply('info', 'Nothing more', ['There are no more passages for the last question.']);
    return context.library.ask(more.question, { offset: more.offset });
  }
  if (!line.trimStart().startsWith('/')) return (findCommand(commands, 'ask')?.handle({ options: { question: line } }, context) ?? context.library.ask(line));
  const parsed = parseTextCommand(line, commands);
  if ('error' in parsed) return textReply('error', 'Command not understood', [parsed.error]);
  return parsed.command.handle(parsed.input, context);
}

/** Runs the chat until the input ends; resolves when it has. */
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
  let more: ReplyAction | undefined;
  lines.on('line', (line) => {
    if (EXIT_WORDS.has(line.trim().toLowerCase())) {
      lines.close();
      return;
    }
    if (line.trim() !== '') {
      let reply: Reply;
      try {
        reply = answerLine(line, app, more);
      } catch (error) {
        reply = textReply('error', 'Something went wrong', [`That could not be answered (${error instanceof Error ? error.message : String(error)}).`]);
      }
      // Each answer (or "not in the article") starts over: /more pages only the last question asked.
      if (reply.kind === 'answer' || reply.kind === 'not-found') more = reply.actions.find((action) => action.kind === 'more-passages');
      write(`${renderForTerminal(reply, { color: interactive, mainArticle: library.mainArticle.slug })}\n`);
    }
    if (interactive) lines.prompt();
  });
  return new Promise((resolve) => lines.once('close', resolve));
}
