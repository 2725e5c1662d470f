/**
 * npm run eval:imports [-- --squad FILE] [--articles N]
 *
 * Import fidelity on texts nobody here wrote: each SQuAD article (Wikipedia
 * paragraphs) is laid out as a news page (navigation, sidebar, ad, footer),
 * a multi-page PDF (indented, hyphenated, running header, page numbers) and a
 * Word file, imported, and compared with the same paragraphs written by hand
 * as a corpus file: the share of paragraphs that came through whole, stray
 * paragraphs (anything that is not one of the text's), boilerplate that
 * leaked, and top-1 retrieval of the article's questions (right when the first
 * passage is the gold paragraph's text).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { parseArticle } from '../src/corpus/load.ts';
import { importText } from '../src/import/import.ts';
import { cleanParagraph } from '../src/import/text.ts';
import { Engine } from '../src/answer/engine.ts';
import { docxOf, newsPage, PAGE_BOILERPLATE, pdfOf, type SourceText } from '../tests/support/documents.ts';
import { loadSquad } from './dataset.ts';

const ROOT = join(import.meta.dirname, '..');
/** Wikipedia's Greek and Chinese need a Unicode font in the PDF; Helvetica would print them garbled. */
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const UNICODE_FONT = existsSync(DEJAVU) ? DEJAVU : undefined;

interface Tally {
  paragraphs: number;
  whole: number;
  stray: number;
  leaked: number;
  questions: number;
  right: number;
}

const empty = (): Tally => ({ paragraphs: 0, whole: 0, stray: 0, leaked: 0, questions: 0, right: 0 });

function topOneRight(article: Article, questions: { question: string; gold: string }[]): number {
  const engine = new Engine([article]);
  return questions.filter(({ question, gold }) => engine.search(question).passages[0]?.paragraph.text === gold).length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      squad: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'squad', 'squad-dev-v1.1-tune.json') },
      articles: { type: 'string', default: '12' },
    },
  });
  const set = await loadSquad(values.squad);
  const collections = set.collections.slice(0, Number(values.articles));
  const tallies: Record<string, Tally> = { 'hand-written corpus file': empty(), 'news page': empty(), 'PDF': empty(), 'Word file': empty() };
  for (const collection of collections) {
    const article = collection.articles[0] as Article;
    const texts = bodyParagraphs(article).map((paragraph) => cleanParagraph(paragraph.text));
    const source: SourceText = { title: article.title, author: 'Wikipedia contributors', paragraphs: texts };
    const questions = collection.questions.map(({ question, gold }) => ({ question, gold: texts[gold] as string }));
    const hand = parseArticle(`---\ntitle: x\nauthor: y\n---\n\n${texts.join('\n\n')}\n`, 'hand.md');
    const documents: [string, Uint8Array, string][] = [
      ['news page', new TextEncoder().encode(newsPage(source)), 'page.html'],
      ['PDF', await pdfOf(source, 0, UNICODE_FONT), 'text.pdf'],
      ['Word file', await docxOf(source), 'text.docx'],
    ];
    const handTally = tallies['hand-written corpus file'] as Tally;
    handTally.paragraphs += texts.length;
    handTally.whole += texts.length;
    handTally.questions += questions.length;
    handTally.right += topOneRight(hand, questions);
    for (const [name, bytes, file] of documents) {
      const imported = (await importText({ kind: 'bytes', bytes, name: file }, { allowHosts: new Set() })).article;
      const got = bodyParagraphs(imported).map((paragraph) => paragraph.text);
      const tally = tallies[name] as Tally;
      tally.paragraphs += texts.length;
      tally.whole += texts.filter((text) => got.includes(text)).length;
      tally.stray += got.filter((text) => !texts.includes(text)).length;
      tally.leaked += got.filter((text) => !texts.includes(text) && PAGE_BOILERPLATE.some((words) => text.includes(words))).length;
      tally.questions += questions.length;
      tally.right += topOneRight(imported, questions);
    }
  }
  const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
  console.log(`PDFs typeset in ${UNICODE_FONT ?? 'Helvetica (no DejaVu Sans here: paragraphs with Greek or Chinese cannot be typeset whole)'}.`);
  console.log(`Import fidelity: ${collections.length} SQuAD articles (${set.name.split('/').pop()}), ${(tallies['PDF'] as Tally).paragraphs} paragraphs, ${(tallies['PDF'] as Tally).questions} questions\n`);
  console.log('| text | paragraphs whole | stray paragraphs | boilerplate leaked | top-1 (first passage is the gold paragraph) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, tally] of Object.entries(tallies)) {
    console.log(`| ${name} | ${pct(tally.whole, tally.paragraphs)} | ${tally.stray} | ${tally.leaked} | ${pct(tally.right, tally.questions)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(`eval:imports: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
