/**
 * Reads every article in the corpus folder. Any problem stops the load: a
 * half-loaded corpus would give answers with citations that shift later.
 */
import { constants, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorpusError } from './errors.ts';
import { splitFrontMatter } from './front-matter.ts';
import { parseParagraphs } from './paragraphs.ts';
import { checkCharacters, decodeArticle } from './text.ts';
import type { Article, Paragraph } from './types.ts';

/** An article's name: lowercase letters and digits, single hyphens between them. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An article is a few dozen KB; anything near this is a wrong file, and reading it would stall start-up. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

/** Parses one article file's text. `file` names it in errors; the slug comes from its name. */
export function parseArticle(source: string, file: string): Article {
  const slug = basename(file).replace(/\.md$/i, '').toLowerCase();
  if (!SLUG.test(slug)) {
    throw new CorpusError(file, `file name must make a slug of lowercase letters, digits and single hyphens (got "${slug}")`);
  }
  checkCharacters(source, file);
  const { frontMatter, bodyLines, bodyStartLine } = splitFrontMatter(source, file);
  return { slug, ...frontMatter, paragraphs: parseParagraphs(bodyLines, bodyStartLine, slug, file), file };
}

/**
 * Loads and validates every `*.md` file in `dir`, sorted by file name.
 * Hidden names (".#x.md" editor locks, ".x.md") are skipped. Any other entry
 * that is not a regular file, or a link to one, is refused rather than skipped:
 * a folder or pipe named like an article is a mistake worth hearing about.
 */
export async function loadCorpus(dir: string): Promise<Article[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => !name.startsWith('.') && name.toLowerCase().endsWith('.md')).sort();
  } catch (error) {
    throw new CorpusError(dir, `cannot read the corpus folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (names.length === 0) throw new CorpusError(dir, 'no article files (*.md) in the corpus folder');

  const articles: Article[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const article = parseArticle(decodeArticle(await readArticleFile(file), file), file);
    const twin = articles.find((other) => other.slug === article.slug);
    if (twin) throw new CorpusError(file, `duplicate slug "${article.slug}" (also ${twin.file})`);
    articles.push(article);
  }
  return articles;
}

/** The bytes of one article file, refusing anything but a regular file within the size limit. */
async function readArticleFile(file: string): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    // Checked before opening: opening a FIFO blocks until a writer appears, and opening a device may act on it.
    checkRegularFile(await stat(file), file);
    // Non-blocking, in case the name is swapped for a FIFO between the check and the open (no such flag on Windows).
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw asCorpusError(error, file);
  }
  try {
    checkRegularFile(await handle.stat(), file);
    // One byte over the limit tells a file that grew since the check from one that fits.
    const buffer = new Uint8Array(MAX_ARTICLE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_ARTICLE_BYTES) throw tooLarge(file, 'it grew past the limit while being read');
    return buffer.subarray(0, length);
  } catch (error) {
    throw asCorpusError(error, file);
  } finally {
    await handle.close();
  }
}

function checkRegularFile(stats: Stats, file: string): void {
  if (!stats.isFile()) throw new CorpusError(file, `cannot read the file (not a regular file: ${kindOf(stats)})`);
  if (stats.size > MAX_ARTICLE_BYTES) throw tooLarge(file, `${(stats.size / 1024 / 1024).toFixed(1)} MB`);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'an unknown kind of entry';
}

function tooLarge(file: string, size: string): CorpusError {
  return new CorpusError(file, `file too large (${size}; the limit is ${MAX_ARTICLE_BYTES / 1024 / 1024} MB per article file)`);
}

function asCorpusError(error: unknown, file: string): CorpusError {
  if (error instanceof CorpusError) return error;
  return new CorpusError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
}

/** An article built in memory (evaluation, tests): every text is a body paragraph. */
export function articleFromTexts(slug: string, title: string, texts: readonly string[]): Article {
  const paragraphs: Paragraph[] = texts.map((text, position) => ({
    article: slug,
    position,
    number: position + 1,
    role: 'body',
    label: `¶${position + 1}`,
    text,
    line: 0,
  }));
  return { slug, title, author: 'unknown', aliases: {}, topics: [], paragraphs, file: '(memory)' };
}
