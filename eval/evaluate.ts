/** Runs every system over every collection of a set, question by question. */
import { performance } from 'node:perf_hooks';
import type { EvalQuestion, EvalSet } from './dataset.ts';
import { judge, summarize, type Judgement, type SystemFigures } from './metrics.ts';
import { timingRounds, WARM_UP_QUESTIONS } from './stats.ts';
import type { SearchSystem } from './systems/types.ts';

export interface EvalReport {
  questions: number;
  systems: Record<string, SystemFigures>;
}

export interface EvalRun {
  report: EvalReport;
  /** The same figures for each question kind, when the set labels its questions. */
  byKind: Map<string, EvalReport>;
}

export type Progress = (done: number, total: number, collection: string) => void;

interface Asked {
  question: EvalQuestion;
  judgement: Judgement;
  /** Every timing of this question: the judged ask, then any repeats. */
  times: number[];
}

function reportOf(systems: readonly SearchSystem[], asked: Map<string, Asked[]>, keep: (question: EvalQuestion) => boolean): EvalReport {
  const figures = systems.map((system) => {
    const kept = (asked.get(system.name) ?? []).filter(({ question }) => keep(question));
    return [system.name, summarize(kept.map(({ judgement }) => judgement), kept.flatMap(({ times }) => times))] as const;
  });
  const first = asked.get(systems[0]?.name ?? '') ?? [];
  return { questions: first.filter(({ question }) => keep(question)).length, systems: Object.fromEntries(figures) };
}

export function evaluate(set: EvalSet, systems: readonly SearchSystem[], progress: Progress = () => {}): EvalRun {
  const asked = new Map<string, Asked[]>(systems.map((system) => [system.name, []]));
  const warmed = new Set<string>();
  const total = set.collections.reduce((sum, collection) => sum + collection.questions.length, 0);
  const rounds = timingRounds(total);
  set.collections.forEach((collection, done) => {
    progress(done, set.collections.length, collection.name);
    for (const system of systems) {
      const ask = system.build(collection);
      if (!warmed.has(system.name)) {
        for (const { question } of collection.questions.slice(0, WARM_UP_QUESTIONS)) ask(question);
        warmed.add(system.name);
      }
      const own = asked.get(system.name) as Asked[];
      const mine = collection.questions.map((question) => {
        const start = performance.now();
        const reply = ask(question.question);
        const ms = performance.now() - start;
        return { question, judgement: judge(question, reply, ms), times: [ms] };
      });
      for (let round = 1; round < rounds; round++) {
        for (const entry of mine) {
          const start = performance.now();
          ask(entry.question.question);
          entry.times.push(performance.now() - start);
        }
      }
      own.push(...mine);
    }
  });
  progress(set.collections.length, set.collections.length, '');

  const kinds = new Set(set.collections.flatMap((collection) => collection.questions.flatMap(({ kind }) => (kind === undefined ? [] : [kind]))));
  return {
    report: reportOf(systems, asked, () => true),
    byKind: new Map([...kinds].map((kind) => [kind, reportOf(systems, asked, (question) => question.kind === kind)])),
  };
}
