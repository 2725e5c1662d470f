/**
 * An imported text becomes an article in the corpus format (front matter,
 * then one paragraph per block), so everything that reads articles reads it,
 * with ¶ numbers fixed at import. The file is parsed back before it is kept:
 * what is stored is exactly what will be cited.
 */
import { stringify } from 'yaml';
import { parseArticle } from '../corpus/load.ts';
import type { Article } from '../corpus/types.ts';
import { ImportError } from './errors.ts';
import type { ImportedText } from './text.ts';

/** The most text one imported article may hold (the corpus loader's file limit). */
export const MAX_TEXT_CHARS = 2 * 1024 * 1024;
const MAX_SLUG_CHARS = 48;
/** The author of a text that names none (the corpus format needs one). */
export const UNKNOWN_AUTHOR = 'Unknown author';
const MAX_TITLE_CHARS = 200;

export interface ArticleFile {
  slug: string;
  /** The corpus file's text. */
  markdown: string;
  article: Article;
}

/** A slug from a title: lowercase ASCII letters and digits, single hyphens. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_CHARS)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'text' : slug;
}

export function toArticleFile(text: ImportedText, fallbackTitle: string, slug?: string): ArticleFile {
  if (text.paragraphs.length === 0) throw new ImportError('No text was found in it: nothing to import.');
  const chars = text.paragraphs.reduce((sum, paragraph) => sum + paragraph.length, 0);
  if (chars > MAX_TEXT_CHARS) throw new ImportError(`The text is longer than ${MAX_TEXT_CHARS / 1024 / 1024} MB, the limit for one text.`);
  const title = oneLine(text.title ?? fallbackTitle, MAX_TITLE_CHARS) || 'Untitled';
  const chosen = slug ?? slugOf(title);
  const front: Record<string, string> = { title, author: oneLine(text.author ?? '', MAX_TITLE_CHARS) || UNKNOWN_AUTHOR };
  if (text.source && /^https?:\/\//.test(text.source)) front.source = text.source;
  if (text.date) front.date = oneLine(text.date, 40);
  // A first paragraph that only repeats the title (a document's title line) is the title, not ¶1.
  const paragraphs = text.paragraphs.length > 1 && sameWords(text.paragraphs[0] as string, title) ? text.paragraphs.slice(1) : text.paragraphs;
  const body = paragraphs.map(unmarked);
  const markdown = `---\n${stringify(front, { lineWidth: 0 })}---\n\n${body.join('\n\n')}\n`;
  let article: Article;
  try {
    article = parseArticle(markdown, `${chosen}.md`);
  } catch (error) {
    throw new ImportError(`The text could not be made into an article (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (article.paragraphs.length !== body.length) throw new ImportError('The text could not be split into paragraphs cleanly.');
  return { slug: chosen, markdown, article: { ...article, file: `(${chosen})` } };
}

/**
 * The corpus format reads a leading "# " as a heading, "{bio}" as a role
 * marker and "<!--" as a comment; an imported paragraph that happens to
 * start so keeps its text with a look-alike character instead.
 */
function unmarked(paragraph: string): string {
  return paragraph
    .replace(/^#(?=#{0,5}\s)/, '＃')
    .replace(/^<!--/, '‹!--')
    .replace(/^\{(?=[a-z-]+\})/, '｛')
    .replace(/\{(?=(?:byline|bio|comment|body)\})/g, '｛');
}

function sameWords(a: string, b: string): boolean {
  const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words(a) === words(b);
}

function oneLine(text: string, max: number): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
