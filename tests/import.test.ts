import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { parseArticle } from '../src/corpus/load.ts';
import { Library } from '../src/library.ts';
import { importText, type ImportSource } from '../src/import/import.ts';
import { slugOf, toArticleFile } from '../src/import/article-file.ts';
import { cleanParagraph } from '../src/import/text.ts';
import { paragraphsOfPages } from '../src/import/extract/pdf-layout.ts';
import { ImportError } from '../src/import/errors.ts';
import { docxOf, epubOf, newsPage, PAGE_BOILERPLATE, pdfOf, type SourceText } from './support/documents.ts';
import { ROOT, testApp } from './support/app.ts';

const NO_HOSTS = new Set<string>();
let original: Article;
let source: SourceText;
let questions: { question: string; paragraph: number }[];

beforeAll(async () => {
  original = (await testApp()).context.library.mainArticle;
  source = { title: original.title, author: original.author, paragraphs: bodyParagraphs(original).map((paragraph) => paragraph.text) };
  questions = JSON.parse(await readFile(join(ROOT, 'tests', 'fixtures', 'article-questions.json'), 'utf8')) as typeof questions;
});

/** The share of the source's paragraphs that came through whole, in order, as paragraphs of their own. */
function wholeShare(imported: Article): number {
  const texts = bodyParagraphs(imported).map((paragraph) => paragraph.text);
  return source.paragraphs.filter((paragraph) => texts.includes(cleanParagraph(paragraph))).length / source.paragraphs.length;
}

/** Top-1 accuracy of the article's question set: right when the first passage is the expected paragraph's text. */
function topOne(article: Article): number {
  const library = new Library([article]);
  const expected = bodyParagraphs(original);
  const right = questions.filter(({ question, paragraph }) => {
    const first = library.engine.search(question).passages[0]?.paragraph.text;
    return first !== undefined && first === expected[paragraph - 1]?.text;
  });
  return right.length / questions.length;
}

async function imported(input: ImportSource): Promise<Article> {
  return (await importText(input, { allowHosts: NO_HOSTS })).article;
}

describe('importing texts nobody here wrote', () => {
  it('keeps a news page’s paragraphs whole and drops its navigation, sidebar, ad and footer', async () => {
    const html = newsPage(source);
    const article = await imported({ kind: 'bytes', bytes: new TextEncoder().encode(html), name: 'troubled-ties.html', contentType: 'text/html' });
    expect(wholeShare(article)).toBeGreaterThanOrEqual(0.95);
    const all = article.paragraphs.map((paragraph) => paragraph.text).join('\n');
    for (const boilerplate of PAGE_BOILERPLATE) expect(all).not.toContain(boilerplate);
    expect(article.title).toBe(source.title);
    expect(article.author).toBe(source.author);
    expect(article.date).toBe('2016-04-01');
  });

  it('rebuilds a multi-page PDF’s wrapped, hyphenated lines into paragraphs without its running header or page numbers', async () => {
    const pdf = await pdfOf(source);
    const article = await imported({ kind: 'bytes', bytes: pdf, name: 'ties.pdf' });
    expect(wholeShare(article)).toBeGreaterThanOrEqual(0.95);
    const all = article.paragraphs.map((paragraph) => paragraph.text).join('\n');
    expect(all).not.toContain('a study text');
    expect(article.paragraphs.some((paragraph) => /^\d+$/.test(paragraph.text))).toBe(false);
    expect(article.title).toBe(source.title);
  });

  it('reads a Word file and an EPUB with their title and author', async () => {
    for (const [bytes, name] of [
      [await docxOf(source), 'ties.docx'],
      [epubOf(source), 'ties.epub'],
    ] as const) {
      const article = await imported({ kind: 'bytes', bytes, name });
      expect(wholeShare(article), name).toBeGreaterThanOrEqual(0.95);
      expect(article.title, name).toBe(source.title);
      expect(article.author, name).toBe(source.author);
    }
  });

  it('answers questions about each imported text within 2 points of the same text written by hand as a corpus file', async () => {
    // The hand-written file holds the same title, author and paragraphs; the corpus's curated aliases are a deployer's extra, not the text.
    const handWritten = `---\ntitle: x\nauthor: y\n---\n\n${source.paragraphs.join('\n\n')}\n`;
    const baseline = topOne(parseArticle(handWritten, 'hand-written.md'));
    const documents: [Uint8Array, string][] = [
      [new TextEncoder().encode(newsPage(source)), 'page.html'],
      [await pdfOf(source), 'ties.pdf'],
      [await docxOf(source), 'ties.docx'],
    ];
    for (const [bytes, name] of documents) {
      const score = topOne(await imported({ kind: 'bytes', bytes, name }));
      expect(score, name).toBeGreaterThanOrEqual(baseline - 0.02);
    }
  });

  it('reads Markdown and plain text, and pasted text with the title and author given', async () => {
    const markdown = `# Notes on the *ties*\n\nFirst paragraph with a [link](https://example.com) and **bold** text.\n\n- a list item that is long enough\n\nSecond paragraph\nwrapped over two lines.\n`;
    const article = await imported({ kind: 'bytes', bytes: new TextEncoder().encode(markdown), name: 'notes.md' });
    expect(article.title).toBe('Notes on the *ties*');
    expect(bodyParagraphs(article).map((paragraph) => paragraph.text)).toEqual([
      'First paragraph with a link and bold text.',
      'a list item that is long enough',
      'Second paragraph wrapped over two lines.',
    ]);
    const pasted = await imported({ kind: 'pasted', title: 'Week 3', author: 'Ms. Rivera', text: 'One.\n\n\n\nTwo\u200B\u00AD words.\r\n\r\n# not a heading' });
    expect(pasted.slug).toBe('week-3');
    expect(bodyParagraphs(pasted).map((paragraph) => paragraph.text)).toEqual(['One.', 'Two words.', '＃ not a heading']);
    expect(pasted.author).toBe('Ms. Rivera');
  });

  it('keeps ¶ numbering safe from text that looks like the corpus format’s markers', () => {
    const file = toArticleFile({ title: 'x', paragraphs: ['{bio} not a bio', '<!-- not a comment', 'plain {comment} inside', '## not a heading either'] }, 'x');
    expect(bodyParagraphs(file.article)).toHaveLength(4);
  });

  it('makes slugs of letters, digits and single hyphens', () => {
    expect(slugOf('Russian–Iranian Relations: Troubled Ties')).toBe('russian-iranian-relations-troubled-ties');
    expect(slugOf('Élan vital — Bergson')).toBe('elan-vital-bergson');
    expect(slugOf('???')).toBe('text');
  });
});

describe('refusing what cannot be imported, with one clear sentence', () => {
  const refusal = async (input: ImportSource): Promise<string> => {
    const error = await importText(input, { allowHosts: NO_HOSTS }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  };

  it('a truncated PDF', async () => {
    const pdf = await pdfOf(source);
    expect(await refusal({ kind: 'bytes', bytes: pdf.subarray(0, Math.floor(pdf.length / 3)), name: 'cut.pdf' })).toMatch(/PDF/);
  });

  it('a zip bomb, before inflating it', async () => {
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(80 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refusal({ kind: 'bytes', bytes: bomb, name: 'bomb.docx' })).toMatch(/unpacks to more/);
  });

  it('a file that says it is a PDF but is not, an image, and an empty text', async () => {
    expect(await refusal({ kind: 'bytes', bytes: new TextEncoder().encode('hello'), name: 'x.pdf', contentType: 'application/pdf' })).toMatch(/not/);
    expect(await refusal({ kind: 'bytes', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), name: 'x.png', contentType: 'image/png' })).toMatch(/cannot be imported/);
    expect(await refusal({ kind: 'pasted', title: 'Empty', text: ' \u200B \n\n \u2800 ' })).toMatch(/No text/);
  });

  it('file:// and other schemes, and addresses with credentials', async () => {
    expect(await refusal({ kind: 'url', url: 'file:///etc/passwd' })).toMatch(/Only http/);
    expect(await refusal({ kind: 'url', url: 'ftp://example.com/x' })).toMatch(/Only http/);
    expect(await refusal({ kind: 'url', url: 'https://user:pw@example.com/' })).toMatch(/password/);
    expect(await refusal({ kind: 'url', url: 'not a url' })).toMatch(/not a web address/);
  });
});

describe('PDF layout', () => {
  const line = (text: string, x: number, y: number): { text: string; x: number; y: number; width: number; height: number } => ({ text, x, y, width: text.length * 5, height: 10 });

  it('continues a paragraph across a page break and splits at a wider gap', () => {
    const pages = [
      [line('Header', 72, 800), line('The first paragraph runs on and on across the width of', 72, 700), line('the page and then on to the next page without a', 72, 686), line('1', 290, 40)],
      [line('Header', 72, 800), line('break in it.', 72, 700), line('A second paragraph after a gap that is wide enough.', 72, 660), line('2', 290, 40)],
    ];
    expect(paragraphsOfPages(pages)).toEqual(['The first paragraph runs on and on across the width of the page and then on to the next page without a break in it.', 'A second paragraph after a gap that is wide enough.']);
  });
});
