/**
 * `npm run ask -- [--json] [--top N] ["question"]`: one answer for a question
 * argument, or one per line of standard input (the index is built once).
 * With --json, every input line gives exactly one output line, so outputs pair
 * with inputs: an empty line gives a not-a-question object, and a line
 * starting with "/" runs that command ("/passage 9"). The JSON shape is a
 * contract that scripts depend on.
 *
 * Input is read as a stream and each line is cut to MAX_LINE_CHARS while it
 * is read, so a huge line costs no more memory than a short one. Output into
 * a pipe that closes early (`| head -1`) ends the run quietly.
 */
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { loadApp, type App } from '../app.ts';
import { parseTextCommand } from '../commands/parse-text.ts';
import { findCommand } from '../commands/registry.ts';
import { LOCAL_INVOKER } from '../commands/types.ts';
import { readConfig } from '../config.ts';
import { textReply, type Citation, type Reply } from '../reply/reply.ts';
import { DEFAULT_TOP, MAX_TOP } from '../library.ts';
import { MAX_QUESTION_CHARS } from '../question.ts';
import { renderForTerminal } from '../terminal/render.ts';
import { ARTICLE_OPTION, runCommand } from '../texts/run.ts';

/** Characters of a line kept: room for the engine to cut a question at a word, and no more. */
export const MAX_LINE_CHARS = 4 * MAX_QUESTION_CHARS;

/** Where a quote comes from: `paragraph` is ¶N for the article's body, null for an author note or a reader comment, whose `label` is its citation. */
interface CitedJson {
  paragraph: number | null;
  label: string;
  role: string;
}

export interface AskJson {
  question: string;
  answered: boolean;
  /** When answered: "low" when the article may not answer it and `passages` are only the closest ones. */
  confidence?: 'high' | 'low';
  /** Why nothing was answered, when the line was not a question or a command failed. */
  error?: string;
  answer: (CitedJson & { text: string })[];
  passages: (CitedJson & { article: string; score: number; text: string })[];
  /** A command's lines of text (help, explanations), when it has no passages. */
  notes?: string[];
}

function cited(cite: Citation): CitedJson {
  return { paragraph: cite.role === 'body' ? cite.paragraph : null, label: cite.label, role: cite.role };
}

export function toJson(question: string, reply: Reply): AskJson {
  const low = reply.kind === 'answer' && reply.confidence === 'low' && reply.passages.length > 0;
  const answered = (reply.kind === 'answer' && reply.answer.length > 0) || low || (reply.kind === 'passage' && reply.passages.length > 0);
  const json: AskJson = {
    question,
    answered,
    ...(answered ? { confidence: low ? 'low' : 'high' } : {}),
    answer: answered ? reply.answer.map((sentence) => ({ text: sentence.text, ...cited(sentence.cite) })) : [],
    passages: answered
      ? reply.passages.map((passage) => ({
          article: passage.cite.article,
          ...cited(passage.cite),
          score: Math.round(passage.score * 1000) / 1000,
          text: passage.full,
        }))
      : [],
  };
  if (reply.kind === 'error') return { question, answered: false, error: [reply.title, ...reply.notes].join(': '), answer: [], passages: [] };
  if (!answered && reply.kind === 'info' && reply.notes.length > 0) json.notes = reply.notes;
  return json;
}

/** The object for a line that is not a question at all. */
function notAQuestion(question: string, error: string): AskJson {
  return { question, answered: false, error, answer: [], passages: [] };
}

/**
 * A question for the engine, or a "/command" line run as that command. In a
 * conversation a question goes through /ask, which reads a follow-up ("why?",
 * "and Syria?") with the lines before it.
 */
async function replyTo(app: App, line: string, top: number, conversation: boolean, article?: string): Promise<Reply> {
  const text = line.trim();
  const chosen = article === undefined ? {} : { [ARTICLE_OPTION]: article };
  const ask = conversation ? findCommand(app.commands, 'ask') : undefined;
  if (!text.startsWith('/') && ask) return runCommand(ask, { options: { question: line, ...chosen }, invoker: LOCAL_INVOKER }, app.context);
  if (!text.startsWith('/')) return app.context.library.ask(line, { top });
  const parsed = parseTextCommand(text, app.commands, LOCAL_INVOKER);
  if ('error' in parsed) return textReply('error', 'Command not understood', [parsed.error]);
  return runCommand(parsed.command, { ...parsed.input, options: { ...chosen, ...parsed.input.options } }, app.context);
}

async function answer(app: App, line: string, json: boolean, top: number, conversation = false, article?: string): Promise<string | undefined> {
  if (line.trim() === '') return json ? JSON.stringify(notAQuestion(line, 'empty question')) : undefined;
  const reply = await replyTo(app, line, top, conversation, article);
  return json ? JSON.stringify(toJson(line, reply)) : `${renderForTerminal(reply, { color: Boolean(process.stdout.isTTY), app })}\n`;
}

/**
 * The lines of `input`, each cut to `maxChars` as it is read: the rest of a
 * longer line is skipped without being kept. A last line without a newline
 * counts; a trailing "\r" is dropped.
 */
export async function* boundedLines(input: Readable, maxChars: number): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let line = '';
  let full = false;
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      const piece = chunk.slice(start, end === -1 ? chunk.length : end);
      if (!full) {
        line += piece.slice(0, maxChars - line.length);
        full = line.length >= maxChars;
      }
      if (end === -1) break;
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      line = '';
      full = false;
      start = end + 1;
    }
  }
  if (line !== '') yield line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Writes a line; resolves false once standard output is closed (the reader went away). */
function print(text: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (process.stdout.destroyed || !process.stdout.writable) return resolve(false);
    process.stdout.write(`${text}\n`, (error) => resolve(!error));
  });
}

async function main(): Promise<number> {
  // A reader that stops early (`| head -1`) closes the pipe: that ends the run, quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const { values, positionals } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      top: { type: 'string', default: String(DEFAULT_TOP) },
      conversation: { type: 'boolean', default: false },
      article: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    await print('Usage: npm run --silent ask -- [--json] [--top N] [--conversation] [--article SLUG] ["question"]   (no question: one per line on stdin; "/passage 9" runs a command; --conversation reads each line with the ones before it)');
    return 0;
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    console.error(`--top must be a whole number from 1 to ${MAX_TOP}`);
    return 2;
  }
  // The bot's settings are not the CLI's business: only where the articles are.
  const { DISCORD_TOKEN: _unused, ...env } = process.env;
  const loaded = await loadApp(readConfig(env).CORPUS_DIR);
  // --article asks one article of the library: questions search it alone.
  const resolved = await loaded.context.texts.resolve(undefined, values.article);
  if (!('library' in resolved)) {
    console.error(`--article: no article "${values.article ?? ''}" (articles: ${loaded.context.library.articles.map((article) => article.slug).join(', ')})`);
    return 2;
  }
  const app = { ...loaded, context: { ...loaded.context, library: resolved.library } };
  if (positionals.length > 0) {
    const output = await answer(app, positionals.join(' ').slice(0, MAX_LINE_CHARS), values.json, top, false, values.article);
    if (output !== undefined) await print(output);
    return 0;
  }
  for await (const line of boundedLines(process.stdin, MAX_LINE_CHARS)) {
    const output = await answer(app, line, values.json, top, values.conversation, values.article);
    if (output !== undefined && !(await print(output))) break;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`ask: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
