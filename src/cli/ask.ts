/**
 * `npm run ask -- [--json] [--top N] ["question"]`: one answer for a question
 * argument, or one per line of standard input (the index is built once).
 * The JSON shape is a contract that scripts depend on.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Reply } from '../reply/reply.ts';
import { loadApp, type App } from '../app.ts';
import { readConfig } from '../config.ts';
import { DEFAULT_TOP, MAX_TOP } from '../library.ts';
import { renderForTerminal } from '../terminal/render.ts';

export interface AskJson {
  question: string;
  answered: boolean;
  answer: { text: string; paragraph: number; label: string }[];
  passages: { article: string; paragraph: number; label: string; role: string; score: number; text: string }[];
}

export function toJson(question: string, reply: Reply): AskJson {
  const answered = reply.kind === 'answer' && reply.answer.length > 0;
  return {
    question,
    answered,
    answer: answered ? reply.answer.map((sentence) => ({ text: sentence.text, paragraph: sentence.cite.paragraph, label: sentence.cite.label })) : [],
    passages: answered
      ? reply.passages.map((passage) => ({
          article: passage.cite.article,
          paragraph: passage.cite.paragraph,
          label: passage.cite.label,
          role: passage.cite.role,
          score: Math.round(passage.score * 1000) / 1000,
          text: passage.full,
        }))
      : [],
  };
}

async function answer(app: App, question: string, json: boolean, top: number): Promise<string> {
  const reply = await app.context.library.ask(question, { top });
  return json ? JSON.stringify(toJson(question, reply)) : `${renderForTerminal(reply, { color: Boolean(process.stdout.isTTY), app })}\n`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean', default: false }, top: { type: 'string', default: String(DEFAULT_TOP) }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log('Usage: npm run --silent ask -- [--json] [--top N] ["question"]   (no question: one per line on stdin)');
    return 0;
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    console.error(`--top must be a whole number from 1 to ${MAX_TOP}`);
    return 2;
  }
  const app = await loadApp(readConfig().CORPUS_DIR);
  if (positionals.length > 0) {
    console.log(await answer(app, positionals.join(' '), values.json, top));
    return 0;
  }
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') console.log(await answer(app, line, values.json, top));
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
