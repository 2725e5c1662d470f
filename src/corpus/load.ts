/**
 * Reads every article in the corpus folder. Any problem stops the load: a
 * half-loaded corpus would give answers with citations that shift later.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorpusError } from './errors.ts';
import { splitFrontMatter } from './front-matter.ts';
import { parseParagraphs } from './paragraphs.ts';
import type { Article, Paragraph } from './types.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Parses one article file's text. `file` names it in errors; the slug comes from its name. */
export function parseArticle(source: string, file: string): Article {
  const slug = basename(file).replace(/\.md$/i, '').toLowerCase();
  if (!SLUG.test(slug)) {
    throw new CorpusError(file, `file name must make a slug of lowercase letters, digits and single hyphens (got "${slug}")`);
  }
  const { frontMatter, bodyLines, bodyStartLine } = splitFrontMatter(source, file);
  return { slug, ...frontMatter, paragraphs: parseParagraphs(bodyLines, bodyStartLine, slug, file), file };
}

/** Loads and validates every `*.md` file in `dir`, sorted by file name. */
export async function loadCorpus(dir: string): Promise<Article[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.md')).sort();
  } catch (error) {
    throw new CorpusError(dir, `cannot read the corpus folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (names.length === 0) throw new CorpusError(dir, 'no article files (*.md) in the corpus folder');

  const articles: Article[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch (error) {
      throw new CorpusError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const article = parseArticle(source, file);
    const twin = articles.find((other) => other.slug === article.slug);
    if (twin) throw new CorpusError(file, `duplicate slug "${article.slug}" (also ${twin.file})`);
    articles.push(article);
  }
  return articles;
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
  return { slug, title, author: 'unknown', aliases: {}, paragraphs, file: '(memory)' };
}
