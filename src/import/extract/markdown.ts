/** Markdown and plain text. Markdown goes through marked, so emphasis, links and lists read as their text. */
import { marked } from 'marked';
import { keptParagraphs, type ImportedText } from '../text.ts';
import { paragraphsOfHtml } from './html.ts';

export function importMarkdown(text: string): ImportedText {
  const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
  const html = marked.parse(text, { async: false, gfm: true });
  return { ...(title ? { title } : {}), paragraphs: paragraphsOfHtml(html) };
}

/** Plain text: paragraphs are separated by blank lines; lines within one are joined. */
export function importPlainText(text: string): ImportedText {
  return { paragraphs: keptParagraphs(text.split(/\r?\n\s*\r?\n/)) };
}
