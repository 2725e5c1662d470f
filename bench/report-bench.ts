/**
 * The report's cost: building it from a store with a busy server's marks
 * (SQLite), and drawing its picture (SVG rendered to PNG by resvg) for the
 * article (11 rows) and for a long text (the 40 most troubled of 360): the
 * first picture of a process (the renderer and its font load), then warm
 * medians, the PNG's size and the process's memory after.
 *
 * Run alone with `npx tsx bench/report-bench.ts`, or `npm run bench -- --report`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median, percentile, round } from '../eval/stats.ts';
import { loadApp } from '../src/app.ts';
import { heatmapPng } from '../src/organizer/heatmap.ts';
import { buildReport, type ReadingReport } from '../src/organizer/report.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { Scope } from '../src/store/types.ts';

const ROOT = path.join(import.meta.dirname, '..');
const SCOPE: Scope = 'guild:bench';
const MEMBERS = 200;
const RUNS = 30;

export interface ReportFigures {
  buildP50Ms: number;
  buildP99Ms: number;
  firstPictureMs: number;
  pictureP50Ms: number;
  longPictureP50Ms: number;
  pngKb: number;
  rssMb: number;
}

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function benchReport(): Promise<ReportFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footnote-report-bench-'));
  const store = new SqliteStore(dir);
  try {
    const app = await loadApp(path.join(ROOT, 'corpus'), { store });
    const { slug } = app.context.library.mainArticle;
    for (let member = 0; member < MEMBERS; member += 1) {
      const who = { userId: `member-${member}`, displayName: `member ${member}` };
      await store.confusion.toggle(SCOPE, slug, 1 + (member % 11), who, 0);
      const note = await store.notes.add({ scope: SCOPE, article: slug, paragraph: 1 + ((member * 7) % 11), authorId: who.userId, authorName: who.displayName, text: 'A note.', private: false }, 0);
      await store.notes.toggleHelpful(SCOPE, note.id, { userId: `member-${(member + 1) % MEMBERS}`, displayName: 'x' }, 0);
      for (let question = 0; question < 20; question += 1) store.activity.recordAnswer(SCOPE, slug, 1 + ((member + question) % 11), question % 5 === 0 ? 'low' : 'high');
    }
    for (let question = 0; question < 300; question += 1) {
      await store.openQuestions.add({ scope: SCOPE, question: `What happened to the oil deal, part ${question}?`, askerId: 'member-1', askerName: 'member 1', confidence: 'none' }, question);
    }
    let built: ReadingReport | undefined;
    const builds = await timed(RUNS, async () => (built = await buildReport(app.context, SCOPE, Date.now())));
    const report = built as ReadingReport;
    const started = performance.now();
    const png = await heatmapPng(report);
    const firstPictureMs = performance.now() - started;
    const pictures = await timed(RUNS, () => heatmapPng(report));
    const long: ReadingReport = {
      ...report,
      rows: Array.from({ length: 360 }, (_, index) => ({ ...(report.rows[index % report.rows.length] as ReadingReport['rows'][number]), paragraph: index + 1 })),
    };
    const longPictures = await timed(RUNS, () => heatmapPng(long));
    return {
      buildP50Ms: round(median(builds), 2),
      buildP99Ms: round(percentile(builds, 99), 2),
      firstPictureMs: round(firstPictureMs, 1),
      pictureP50Ms: round(median(pictures), 2),
      longPictureP50Ms: round(median(longPictures), 2),
      pngKb: round(png.length / 1024, 1),
      rssMb: round(process.memoryUsage().rss / 1024 / 1024, 0),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReportFigures(figures: ReportFigures): string {
  return [
    `A server of ${MEMBERS} members (flags, notes, votes, 4,000 answers, 300 open questions), ${RUNS} runs of each:`,
    '',
    '| what | ms |',
    '| --- | ---: |',
    `| build the report (figures, open questions filed by paragraph), p50 / p99 | ${figures.buildP50Ms} / ${figures.buildP99Ms} |`,
    `| first picture of a process (renderer and font load) | ${figures.firstPictureMs} |`,
    `| picture, the article (11 rows), p50 | ${figures.pictureP50Ms} |`,
    `| picture, a 360-paragraph text (40 rows drawn), p50 | ${figures.longPictureP50Ms} |`,
    '',
    `The article's PNG: ${figures.pngKb} KB. Process RSS after: ${figures.rssMb} MB.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatReportFigures(await benchReport()));
}
