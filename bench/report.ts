/** The bench report: Markdown tables for the terminal and bench/results.md, and the JSON shape. */
import { round } from '../eval/stats.ts';
import type { ColdStartFigures } from './cold-start.ts';
import type { EngineFigures } from './engine-bench.ts';
import type { Machine } from './machine.ts';
import type { StoreFigures } from './store-bench.ts';

export interface EndToEndFigures {
  interactions: number;
  /** Interaction sent to its callback received, one interaction in flight at a time. */
  p50_ms: number;
  p99_ms: number;
  /** Callbacks per second with `concurrency` interactions kept in flight. */
  answers_per_s: number;
  concurrency: number;
  /** The bot's own CPU time per answer under that load; 1,000 / this is what one core could serve. */
  bot_cpu_ms_per_answer: number;
  rss_idle_mb: number;
  rss_after_load_mb: number;
  cold_start_ms: number;
}

export interface BenchReport {
  date: string;
  machine: Machine;
  /** One-minute load average when the bench ended; with `machine.load_at_start`, how quiet the machine was. */
  load_at_end: number;
  runs: number;
  engine: EngineFigures[];
  /** The terminal chat from the sources through tsx (npm start) and from the build (npm run serve). */
  terminal: { source: ColdStartFigures; build: ColdStartFigures };
  /** Notes in SQLite at 100,000 notes (bench/store-bench.ts); null when not measured, `store_skipped` says why. */
  store: StoreFigures | null;
  store_skipped?: string;
  /** null when the bot could not be measured; `e2e_skipped` says why. */
  e2e: EndToEndFigures | null;
  e2e_skipped?: string;
}

const num = (value: number | null, decimals: number) => (value === null ? '—' : value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));

function engineTable(rows: EngineFigures[]): string[] {
  return [
    '| index | paragraphs | questions (timed) | build ms | build ms / 1,000 ¶ | heap MB | heap MB / 1,000 ¶ | answer p50 ms | answer p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.workload} | ${num(r.paragraphs, 0)} | ${num(r.questions, 0)} (${num(r.timed, 0)}) | ${num(r.build_ms, 1)} | ${num(r.build_ms_per_1000, 1)} | ${num(r.heap_mb, 2)} | ${num(r.heap_mb_per_1000, 2)} | ${num(r.p50_ms, 3)} | ${num(r.p99_ms, 3)} |`,
    ),
  ];
}

function targetsTable(report: BenchReport): string[] {
  const article = report.engine[0];
  const large = report.engine.filter((row) => row.paragraphs >= 1000);
  const worstLargeP99 = large.length === 0 ? null : Math.max(...large.map((row) => row.p99_ms));
  const e2e = report.e2e;
  const rows: [string, string, number | null, number, 'max' | 'min'][] = [
    ['answer p99, the article', 'ms', article?.p99_ms ?? null, 1, 'max'],
    ['answer p99, 1,000+ paragraphs (worst index)', 'ms', worstLargeP99, 5, 'max'],
    ['cold start, terminal chat, npm start (first answer)', 'ms', report.terminal.source.first_output_ms, 1000, 'max'],
    ['cold start, terminal chat, build (first answer)', 'ms', report.terminal.build.first_output_ms, 1000, 'max'],
    ['cold start, bot, build (spawn to gateway READY)', 'ms', e2e?.cold_start_ms ?? null, 1000, 'max'],
    ['interaction → callback p99', 'ms', e2e?.p99_ms ?? null, 15, 'max'],
    ['answers per second, measured', '/s', e2e?.answers_per_s ?? null, 2000, 'min'],
    ['answers per second one bot core could serve (1,000 / CPU ms per answer)', '/s', e2e ? round(1000 / e2e.bot_cpu_ms_per_answer, 0) : null, 2000, 'min'],
    ['RSS logged in, idle', 'MB', e2e?.rss_idle_mb ?? null, 90, 'max'],
    ['RSS after the load', 'MB', e2e?.rss_after_load_mb ?? null, 90, 'max'],
  ];
  return [
    '| target | goal | measured | met |',
    '| --- | ---: | ---: | :---: |',
    ...rows.map(([what, unit, value, goal, kind]) => {
      const met = value === null ? '—' : (kind === 'max' ? value <= goal : value >= goal) ? 'yes' : 'no';
      const decimals = unit === 'ms' && goal < 100 ? 3 : 0;
      return `| ${what} | ${kind === 'max' ? '≤' : '≥'} ${num(goal, 0)} ${unit} | ${num(value, decimals)} ${value === null ? '' : unit} | ${met} |`;
    }),
  ];
}

function notesTable(report: BenchReport): string[] {
  const store = report.store;
  if (store === null) return [`Notes: not measured (${report.store_skipped ?? 'unknown reason'}).`];
  const mbPer10k = store.bytesPer10kNotes / 1_000_000;
  return [
    `Notes (SQLite, ${num(store.notes, 0)} notes):`,
    '',
    '| notes | write p50 ms | write p99 ms | list p50 ms | list p99 ms | filtered list p50 ms | filtered list p99 ms | database MB / 10,000 notes |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${num(store.notes, 0)} | ${num(store.writeP50Ms, 3)} | ${num(store.writeP99Ms, 3)} | ${num(store.listP50Ms, 3)} | ${num(store.listP99Ms, 3)} | ${num(store.listFilteredP50Ms, 3)} | ${num(store.listFilteredP99Ms, 3)} | ${num(mbPer10k, 2)} |`,
  ];
}

function endToEndTable(report: BenchReport): string[] {
  const e2e = report.e2e;
  if (e2e === null) return [`End to end: not measured (${report.e2e_skipped ?? 'unknown reason'}).`];
  return [
    '| interactions | callback p50 ms | callback p99 ms | answers/s (in flight) | bot CPU ms / answer | RSS idle MB | RSS after load MB | bot cold start ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${num(e2e.interactions, 0)} | ${num(e2e.p50_ms, 2)} | ${num(e2e.p99_ms, 2)} | ${num(e2e.answers_per_s, 0)} (${e2e.concurrency}) | ${num(e2e.bot_cpu_ms_per_answer, 3)} | ${num(e2e.rss_idle_mb, 1)} | ${num(e2e.rss_after_load_mb, 1)} | ${num(e2e.cold_start_ms, 0)} |`,
  ];
}

export function formatReport(report: BenchReport): string {
  const { machine } = report;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node}; load average ${machine.load_at_start} at start, ${report.load_at_end} at end.`,
    `${report.date}, revision ${machine.revision}, medians of ${report.runs} runs.`,
    '',
    ...engineTable(report.engine),
    '',
    `Terminal chat cold start, \`echo "/help" | npm start\` (tsx): first answer ${num(report.terminal.source.first_output_ms, 0)} ms, exit ${num(report.terminal.source.exit_ms, 0)} ms;`,
    `from the build (\`node dist/src/main.js\`): first answer ${num(report.terminal.build.first_output_ms, 0)} ms, exit ${num(report.terminal.build.exit_ms, 0)} ms.`,
    '',
    ...notesTable(report),
    '',
    ...endToEndTable(report),
    '',
    ...targetsTable(report),
  ].join('\n');
}

export function resultsMarkdown(report: BenchReport): string {
  return [
    '# Bench results',
    '',
    'Written by `npm run bench`; do not edit by hand.',
    '',
    formatReport(report),
    '',
    '- Answer latency: `Engine.search` per question (ranking and answer sentences), after 50 untimed warm-up questions;',
    '  p50/p99 over the index\'s questions (a set under 1,000 is asked again until 1,000 are timed), then the median',
    '  over runs, each run on a freshly built index. The 10× index is asked an even spread of 1,000 tune questions.',
    '- Heap: `heapUsed` growth across building the index, after forced full collections (`--expose-gc`).',
    '- The 10× index repeats the tune half\'s texts under new slugs: posting lists grow tenfold, the vocabulary does not.',
    '- Terminal cold start: spawn to the first byte of the `/help` answer on stdout (Node, the code, corpus load and index,',
    '  one command), and to process exit once stdin closes; from the sources through tsx and from the build.',
    '- Notes: a temporary SQLite store (WAL, synchronous = NORMAL, as the bot opens it) filled with 100,000 notes in',
    '  batches (40 % in one server, the rest over 59 servers and 100 DMs; 3 articles, 10 % private), then through the',
    '  Store interface, after 50 untimed calls each: 1,000 pages of 10 notes per list kind in the big server (unfiltered:',
    '  the whole server, one article; filtered: one paragraph, one author, article and author), and 1,000 single-note',
    '  adds. List p50 is over all pages of that group, p99 the worst kind\'s. Database size: the file after closing',
    '  (the write-ahead log folded in), per 10,000 notes. One run (`npx tsx bench/store-bench.ts` shows each list kind).',
    '- End to end: the bot as deployed, `node dist/src/main.js` (npm run build first), logged in to the fake Discord of',
    '  the tests on 127.0.0.1.',
    '  After 50 untimed `/ask` interactions, 2,000 sent one at a time give the latency (INTERACTION_CREATE written to',
    '  the gateway socket → interaction callback fully received by the fake), then 2,000 with 32 in flight give answers',
    '  per second and the bot\'s CPU time per answer (/proc). Questions cycle through the article\'s question set; each',
    '  user asks 4 times, under the per-user cooldown, so every reply is an answer. The bot logs at info level to a',
    '  pipe that is read and dropped. RSS (/proc) after 1 s idle once logged in, and 1 s after the load. Bot cold start:',
    '  spawn to the fake sending READY (Node, the code, corpus and index, discord.js, login and identify).',
    '',
  ].join('\n');
}
