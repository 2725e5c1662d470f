/**
 * npm run bench [-- --runs N] [--json] [--squad FILE] [--no-e2e] [--profile-bot DIR]
 *
 * --profile-bot DIR writes a CPU profile of each bot process (node --cpu-prof) to DIR.
 *
 * Prints the tables (or one JSON object) on stdout, progress on stderr, and
 * writes bench/results.md.
 */
import { benchReport, formatReportFigures } from './report-bench.ts';
import { benchReview, formatReviewFigures } from './review-bench.ts';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { BUILD_ENTRY, SOURCE_ENTRY } from '../tests/support/bot-process.ts';
import { benchTerminalColdStart } from './cold-start.ts';
import { benchEndToEnd } from './end-to-end.ts';
import { benchEngine } from './engine-bench.ts';
import { benchHttp, formatHttpFigures } from './http-bench.ts';
import { benchImports, formatImportFigures } from './import-bench.ts';
import { benchQuiz, formatQuizFigures } from './quiz-bench.ts';
import { describeMachine } from './machine.ts';
import { formatReport, resultsMarkdown, type BenchReport } from './report.ts';
import { benchStore } from './store-bench.ts';
import { articleWorkload, squadWorkloads, type Workload } from './workloads.ts';

const ROOT = join(import.meta.dirname, '..');
const COPIES = 10;
/** Questions asked of the 10× index per run: enough for a p99, few enough to keep the bench to minutes. */
const LARGE_INDEX_QUESTIONS = 1_000;
const INTERACTIONS = 2_000;
/** Interactions kept in flight for the answers-per-second figure. */
const CONCURRENCY = 32;

/** The bot end to end on the article's questions, or why it could not be measured. */
async function measureBot(article: Workload, runs: number, profileDir: string | undefined): Promise<Pick<BenchReport, 'e2e' | 'e2e_skipped'>> {
  const botNodeArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  // The bot is measured as deployed: the build, run by plain Node (npm run serve).
  const options = { root: ROOT, questions: article.questions, runs, interactions: INTERACTIONS, concurrency: CONCURRENCY, botNodeArgs, entry: BUILD_ENTRY };
  try {
    return { e2e: await benchEndToEnd(options, (run) => console.error(`bench: bot end to end, run ${run}/${runs}`)) };
  } catch (error) {
    // The engine figures still stand; the report says why the bot has none, and the exit code flags it.
    const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`bench: end to end ${reason}`);
    process.exitCode = 1;
    return { e2e: null, e2e_skipped: reason };
  }
}

/** Notes in SQLite at 100,000 notes, or why they could not be measured. */
async function measureStore(): Promise<Pick<BenchReport, 'store' | 'store_skipped'>> {
  try {
    return { store: await benchStore() };
  } catch (error) {
    const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`bench: notes ${reason}`);
    process.exitCode = 1;
    return { store: null, store_skipped: reason };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      squad: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'squad', 'squad-dev-v1.1-tune.json') },
      corpus: { type: 'string', default: join(ROOT, 'corpus') },
      questions: { type: 'string', default: join(ROOT, 'tests', 'fixtures', 'article-questions.json') },
      'no-e2e': { type: 'boolean', default: false },
      // Longer, and printed after the report rather than kept in bench/results.md: HTTP workers, quiz clicks.
      http: { type: 'boolean', default: false },
      quiz: { type: 'boolean', default: false },
      review: { type: 'boolean', default: false },
      report: { type: 'boolean', default: false },
      'profile-bot': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number (got "${values.runs}")`);
  const machine = describeMachine(ROOT);
  if (globalThis.gc === undefined) console.error('bench: run with node --expose-gc (npm run bench does) to measure heap');

  const workloads = [await articleWorkload(values.corpus, values.questions), ...(await squadWorkloads(values.squad, COPIES, LARGE_INDEX_QUESTIONS))];
  const engine = workloads.map((workload) => {
    console.error(`bench: engine on ${workload.name} (${runs} runs)`);
    return benchEngine(workload, runs);
  });
  console.error('bench: notes in SQLite (100,000 notes)');
  const store = await measureStore();
  console.error('bench: npm run build');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  console.error('bench: terminal chat cold start');
  const terminal = { source: await benchTerminalColdStart(ROOT, runs, SOURCE_ENTRY), build: await benchTerminalColdStart(ROOT, runs, BUILD_ENTRY) };

  console.error('bench: imports (web page, Word file, 50-page PDF)');
  const imports = formatImportFigures(await benchImports());
  const bot = values['no-e2e'] ? { e2e: null, e2e_skipped: 'skipped with --no-e2e' } : await measureBot(workloads[0] as Workload, runs, values['profile-bot']);
  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    machine,
    load_at_end: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    runs,
    engine,
    terminal,
    ...store,
    ...bot,
  };
  const importsSection = `\nImports (a text a server brings: import, then its first answer)\n${imports}\n`;
  await writeFile(join(ROOT, 'bench', 'results.md'), `${resultsMarkdown(report)}${importsSection}`);
  console.log(values.json ? JSON.stringify(report) : `${formatReport(report)}${importsSection}`);
  if (values.quiz) {
    console.error('bench: quiz generation and clicks');
    console.log(`\nQuizzes (SQLite)\n${formatQuizFigures(await benchQuiz())}`);
  }
  if (values.review) {
    console.error('bench: review decks');
    console.log(`\nReview decks (SQLite)\n${formatReviewFigures(await benchReview())}`);
  }
  if (values.report) {
    console.error('bench: the organizer’s report');
    console.log(`\nThe organizer's report\n${formatReportFigures(await benchReport())}`);
  }
  if (values.http) {
    console.error('bench: HTTP interaction workers');
    console.log(`\nHTTP interactions (1 and 2 workers, 32 in flight)\n${formatHttpFigures(await benchHttp())}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
