/** Runs every system over every collection of a set, question by question. */
import { performance } from 'node:perf_hooks';
import type { EvalSet } from './dataset.ts';
import { judge, summarize, type Judgement, type SystemFigures } from './metrics.ts';
import type { SearchSystem } from './systems/types.ts';

export interface EvalReport {
  questions: number;
  systems: Record<string, SystemFigures>;
}

/** Untimed questions per system before the first timed one, so JIT warm-up is not counted as latency. */
const WARM_UP_QUESTIONS = 50;

export type Progress = (done: number, total: number, collection: string) => void;

export function evaluate(set: EvalSet, systems: readonly SearchSystem[], progress: Progress = () => {}): EvalReport {
  const judgements = new Map<string, Judgement[]>(systems.map((system) => [system.name, []]));
  const warmed = new Set<string>();
  set.collections.forEach((collection, done) => {
    progress(done, set.collections.length, collection.name);
    for (const system of systems) {
      const ask = system.build(collection);
      if (!warmed.has(system.name)) {
        for (const { question } of collection.questions.slice(0, WARM_UP_QUESTIONS)) ask(question);
        warmed.add(system.name);
      }
      const own = judgements.get(system.name) as Judgement[];
      for (const question of collection.questions) {
        const start = performance.now();
        const reply = ask(question.question);
        own.push(judge(question, reply, performance.now() - start));
      }
    }
  });
  progress(set.collections.length, set.collections.length, '');
  const questions = set.collections.reduce((sum, collection) => sum + collection.questions.length, 0);
  return { questions, systems: Object.fromEntries([...judgements].map(([name, list]) => [name, summarize(list)])) };
}
