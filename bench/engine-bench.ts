/**
 * Engine cost on one workload: build time and heap of a fresh index, and
 * answer latency over the workload's questions; each run builds anew, and the
 * figures are medians over runs.
 */
import { performance } from 'node:perf_hooks';
import { median, percentile, round, timingRounds, WARM_UP_QUESTIONS } from '../eval/stats.ts';
import { Engine } from '../src/answer/engine.ts';
import { paragraphCount, type Workload } from './workloads.ts';

export interface EngineFigures {
  workload: string;
  paragraphs: number;
  questions: number;
  /** Questions timed per run: the set, repeated when it is small. */
  timed: number;
  runs: number;
  build_ms: number;
  build_ms_per_1000: number;
  /** null when the process was started without --expose-gc. */
  heap_mb: number | null;
  heap_mb_per_1000: number | null;
  p50_ms: number;
  p99_ms: number;
}

function timedQuestions(questions: readonly string[]): string[] {
  return Array.from({ length: timingRounds(questions.length) }, () => questions).flat();
}

/** Full collections twice: the second catches what the first only finalised. */
function collectGarbage(): boolean {
  if (globalThis.gc === undefined) return false;
  globalThis.gc();
  globalThis.gc();
  return true;
}

interface Run {
  buildMs: number;
  heapBytes: number | null;
  p50: number;
  p99: number;
}

function runOnce(workload: Workload): Run {
  const canMeasureHeap = collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const engine = new Engine(workload.articles);
  const buildMs = performance.now() - buildStart;
  const heapBytes = canMeasureHeap && collectGarbage() ? process.memoryUsage().heapUsed - heapBefore : null;

  for (const question of workload.questions.slice(0, WARM_UP_QUESTIONS)) engine.search(question);
  const times = timedQuestions(workload.questions).map((question) => {
    const start = performance.now();
    engine.search(question);
    return performance.now() - start;
  });
  return { buildMs, heapBytes, p50: percentile(times, 50), p99: percentile(times, 99) };
}

export function benchEngine(workload: Workload, runs: number): EngineFigures {
  const results = Array.from({ length: runs }, () => runOnce(workload));
  const paragraphs = paragraphCount(workload.articles);
  const perThousand = (value: number) => (value * 1000) / paragraphs;
  const buildMs = median(results.map((run) => run.buildMs));
  const heaps = results.flatMap((run) => (run.heapBytes === null ? [] : [run.heapBytes / 2 ** 20]));
  const heapMb = heaps.length === 0 ? null : median(heaps);
  return {
    workload: workload.name,
    paragraphs,
    questions: workload.questions.length,
    timed: timedQuestions(workload.questions).length,
    runs,
    build_ms: round(buildMs, 1),
    build_ms_per_1000: round(perThousand(buildMs), 1),
    heap_mb: heapMb === null ? null : round(heapMb, 2),
    heap_mb_per_1000: heapMb === null ? null : round(perThousand(heapMb), 2),
    p50_ms: round(median(results.map((run) => run.p50)), 3),
    p99_ms: round(median(results.map((run) => run.p99)), 3),
  };
}
