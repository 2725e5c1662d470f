/** Renders a Reply as plain text for a terminal; colour only when asked (a TTY). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { styleText } from 'node:util';
import type { App } from '../app.ts';
import { citationText, type Reply, type ReplyAction, type Span } from '../reply/reply.ts';
import { displaySafe as safe } from '../reply/sanitize.ts';

type Style = Parameters<typeof styleText>[0];

export interface TerminalRenderOptions {
  color: boolean;
  /** Its components say how each action is typed in the terminal. */
  app: App;
  /** Wrap lines at word boundaries to this many columns (a TTY's width); no wrapping when unset. */
  width?: number;
}

// eslint-disable-next-line no-control-regex -- colour codes are what is measured out
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** One line as several of at most `width` visible columns, broken between words, continuation lines keeping the indent. */

/** Writes a file the terminal cannot show into a fresh temporary folder, and returns its path. */
function savedCopy(name: string, content: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'footnote-')), basename(name));
  writeFileSync(path, content);
  return path;
}

export function wrapLine(line: string, width: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const words = line.slice(indent.length).split(/ +/);
  const out: string[] = [];
  let current = indent;
  for (const word of words) {
    const fits = visibleLength(current) + (current.trim() === '' ? 0 : 1) + visibleLength(word) <= width;
    if (!fits && current.trim() !== '') {
      out.push(current);
      current = indent + word;
    } else {
      current = current.trim() === '' ? indent + word : `${current} ${word}`;
    }
  }
  out.push(current);
  return out;
}

/**
 * How to do each action by typing: the component's own command line
 * ("/passage 9"), its shortcut ("/more for more passages"), or "/press N".
 */
export function actionHints(reply: Reply, app: App): string[] {
  const hints: string[] = [];
  reply.actions.forEach((action: ReplyAction, index) => {
    const component = app.components.forAction(action);
    const label = component?.label(action, reply);
    if (!component || label === undefined) return;
    const typed = component.typed?.(action, app.context);
    hints.push(typed ?? (component.shortcut ? `/${component.shortcut.word} for ${label.toLowerCase()}` : `/press ${index + 1} for ${label}`));
  });
  return [...new Set(hints)];
}

export function renderForTerminal(reply: Reply, options: TerminalRenderOptions): string {
  // Every text is made safe before colour is added: an escape sequence in a question never reaches the terminal.
  const paint = (style: Style, text: string) => (options.color ? styleText(style, safe(text)) : safe(text));
  const spans = (parts: Span[]) => parts.map((part) => (part.emphasis ? paint('bold', part.text) : safe(part.text))).join('');

  const lines: string[] = [paint('bold', reply.title), ''];
  for (const note of reply.notes) lines.push(safe(note));
  if (reply.notes.length > 0) lines.push('');
  if (reply.modal) lines.push(safe(reply.modal.usage), '');
  for (const sentence of reply.answer) lines.push(`  ${safe(sentence.text)} ${paint('cyan', citationText(sentence.cite))}`);
  if (reply.answer.length > 0) lines.push('');
  if (reply.passages.length > 0 && reply.kind === 'answer') lines.push(paint('dim', 'Passages'));
  for (const passage of reply.passages) {
    lines.push(`${paint('cyan', passage.cite.label)} ${paint('dim', `· ${passage.cite.role}`)}`);
    lines.push(`  ${spans(passage.excerpt)}`, '');
  }
  if (reply.thread) lines.push(paint('dim', `On Discord, a thread “${reply.thread.name}” opens on this message.`), '');
  for (const file of reply.files ?? []) {
    // A picture cannot be shown in a terminal: it is saved, and the chat says where.
    if (typeof file.content !== 'string') lines.push(paint('dim', `--- ${file.name}: ${Math.ceil(file.content.length / 1024)} KB, saved as ${savedCopy(file.name, file.content)} ---`), '');
    else lines.push(paint('dim', `--- ${file.name} ---`), safe(file.content.trimEnd()), paint('dim', '---'), '');
  }
  const hints = actionHints(reply, options.app);
  if (hints.length > 0) lines.push(paint('dim', `Next: ${hints.join(' · ')}`));
  if (reply.footer) lines.push(paint('dim', `— ${reply.footer}`));
  while (lines.at(-1) === '') lines.pop();
  const width = options.width;
  // A width too narrow to hold an indent and a word is ignored rather than producing one word per line.
  if (width === undefined || width < 20) return lines.join('\n');
  return lines.flatMap((line) => line.split('\n').flatMap((part) => wrapLine(part, width))).join('\n');
}
