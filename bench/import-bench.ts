/**
 * Imports: the time to turn each kind of document into an article (the
 * corpus's first article laid out as a news page, a Word file, and a 50-page
 * PDF of it repeated), and the first answer on a text just added: its index
 * built from the stored file (as a server's first question on a new text
 * does) plus the answer. Documents are made as the tests make them.
 *
 * Run alone with `npx tsx bench/import-bench.ts`.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median, round } from '../eval/stats.ts';
import { loadCorpus } from '../src/corpus/load.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { importText } from '../src/import/import.ts';
import { parseArticle } from '../src/corpus/load.ts';
import { Library } from '../src/library.ts';
import { docxOf, newsPage, pdfOf } from '../tests/support/documents.ts';

const ROOT = path.join(import.meta.dirname, '..');
const RUNS = 5;
const QUESTION = 'Why did Iran refuse to join the oil production freeze?';

export interface ImportFigures {
  document: string;
  kb: number;
  pages: number | null;
  paragraphs: number;
  import_ms: number;
  first_answer_ms: number;
}

export async function benchImports(): Promise<ImportFigures[]> {
  const article = (await loadCorpus(path.join(ROOT, 'corpus')))[0];
  if (!article) throw new Error('no article in corpus/');
  const source = { title: article.title, author: article.author, paragraphs: bodyParagraphs(article).map((paragraph) => paragraph.text) };
  const pdf50 = await pdfOf(source, 50);
  const documents: [string, Uint8Array, string, number | null][] = [
    ['web page (the article)', new TextEncoder().encode(newsPage(source)), 'page.html', null],
    ['Word file (the article)', await docxOf(source), 'article.docx', null],
    ['PDF, 50 pages', pdf50, 'long.pdf', 50],
  ];
  const rows: ImportFigures[] = [];
  for (const [name, bytes, file, pages] of documents) {
    const importMs: number[] = [];
    const answerMs: number[] = [];
    let paragraphs = 0;
    for (let run = 0; run < RUNS; run += 1) {
      let started = performance.now();
      const imported = await importText({ kind: 'bytes', bytes, name: file }, { allowHosts: new Set() });
      importMs.push(performance.now() - started);
      paragraphs = bodyParagraphs(imported.article).length;
      started = performance.now();
      new Library([parseArticle(imported.markdown, `${imported.slug}.md`)]).ask(QUESTION);
      answerMs.push(performance.now() - started);
    }
    rows.push({ document: name, kb: round(bytes.length / 1024, 0), pages, paragraphs, import_ms: round(median(importMs), 0), first_answer_ms: round(median(answerMs), 1) });
  }
  return rows;
}

export function formatImportFigures(rows: ImportFigures[]): string {
  return [
    `| document | KB | pages | paragraphs | import ms (median of ${RUNS}) | first answer on it ms (index + answer) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.document} | ${row.kb} | ${row.pages ?? '—'} | ${row.paragraphs} | ${row.import_ms} | ${row.first_answer_ms} |`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatImportFigures(await benchImports()));
}
