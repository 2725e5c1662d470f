/** Renders a Reply as plain text for a terminal; colour only when asked (a TTY). */
import { styleText } from 'node:util';
import { citationText, type Reply, type Span } from '../reply/reply.ts';

type Style = Parameters<typeof styleText>[0];

export interface TerminalRenderOptions {
  color: boolean;
  /** Slug of the library's first article: "/passage N" means it, any other needs "article:". */
  mainArticle?: string;
}

export function renderForTerminal(reply: Reply, options: TerminalRenderOptions): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text);
  const spans = (parts: Span[]) => parts.map((part) => (part.emphasis ? paint('bold', part.text) : part.text)).join('');

  const lines: string[] = [paint('bold', reply.title), ''];
  for (const note of reply.notes) lines.push(note);
  if (reply.notes.length > 0) lines.push('');
  for (const sentence of reply.answer) lines.push(`  ${sentence.text} ${paint('cyan', citationText(sentence.cite))}`);
  if (reply.answer.length > 0) lines.push('');
  if (reply.passages.length > 0 && reply.kind === 'answer') lines.push(paint('dim', 'Passages'));
  for (const passage of reply.passages) {
    lines.push(`${paint('cyan', passage.cite.label)} ${paint('dim', `· ${passage.cite.role}`)}`);
    lines.push(`  ${spans(passage.excerpt)}`, '');
  }
  const hints = reply.actions.map((action) =>
    action.kind === 'full-passage'
      ? `/passage ${action.paragraph}${action.article === options.mainArticle ? '' : ` article:${action.article}`}`
      : '/more for more passages',
  );
  if (hints.length > 0) lines.push(paint('dim', `Next: ${hints.join(' · ')}`));
  if (reply.footer) lines.push(paint('dim', `— ${reply.footer}`));
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
