import { describe, expect, it } from 'vitest';
import type { EvalCollection, EvalSet } from '../eval/dataset.ts';
import { evaluate } from '../eval/evaluate.ts';
import { containsAnswer, judge, summarize } from '../eval/metrics.ts';
import { percentile, median } from '../eval/stats.ts';
import { pickAnswerSentence } from '../eval/systems/answer-sentence.ts';
import { SYSTEMS } from '../eval/systems/index.ts';
import type { SearchSystem } from '../eval/systems/types.ts';
import { articleFromTexts } from '../src/corpus/load.ts';

function toyCollection(): EvalCollection {
  const article = articleFromTexts('toy', 'Toy', [
    'The volcano erupted in 1815. Ash covered the island for weeks.',
    'Glaciers carve valleys slowly. Their ice moves a few metres a year.',
    'Coral reefs grow in warm, shallow seas. They shelter many fish.',
  ]);
  return {
    name: 'toy',
    articles: [article],
    paragraphs: article.paragraphs,
    questions: [
      { question: 'When did the volcano erupt?', gold: 0, answers: ['1815'] },
      { question: 'How fast does glacier ice move?', gold: 1, answers: ['a few metres a year'] },
      { question: 'Where do coral reefs grow?', gold: 2, answers: ['warm, shallow seas'] },
      { question: 'What do reefs shelter?', gold: 2, answers: [] },
    ],
  };
}

describe('eval metrics', () => {
  it('scores recall at 1/3/5, MRR, answer hits and rejections from gold ranks', () => {
    const question = { question: 'q', gold: 2, answers: ['Blue'] };
    const judgements = [
      judge(question, { ranked: [2, 0], answer: 'It is blue.' }, 1), // rank 1, hit
      judge(question, { ranked: [0, 1, 2], answer: 'Red.' }, 2), // rank 3, miss
      judge(question, { ranked: [0, 1, 3, 4, 5, 2], answer: null }, 3), // rank 6
      judge(question, { ranked: [], answer: null }, 4), // rejected
    ];
    const figures = summarize(judgements);
    expect(figures).toMatchObject({ r1: 25, r3: 50, r5: 50, answer: 25, rejected: 25 });
    expect(figures.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 6) / 4, 3);
    expect(figures.p50_ms).toBe(2);
    expect(figures.p99_ms).toBe(4);
  });

  it('reports no answer figure when no question has an answer text', () => {
    expect(summarize([judge({ question: 'q', gold: 0, answers: [] }, { ranked: [0], answer: 'x' }, 1)]).answer).toBeNull();
  });

  it('matches answers regardless of case and spacing', () => {
    expect(containsAnswer('It began in  October 1973.', ['october 1973'])).toBe(true);
    expect(containsAnswer('It began in 1974.', ['1973', 'October'])).toBe(false);
    expect(containsAnswer(null, ['1973'])).toBe(false);
  });

  it('takes nearest-rank percentiles and medians', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('picks the sentence sharing the most question terms', () => {
    expect(pickAnswerSentence('How fast does glacier ice move?', 'Glaciers carve valleys slowly. Their ice moves a few metres a year.')).toBe(
      'Their ice moves a few metres a year.',
    );
  });
});

describe('evaluate', () => {
  it('runs a system over every question and summarises per system', () => {
    const alwaysFirst: SearchSystem = { name: 'always-first', build: () => () => ({ ranked: [0, 1, 2], answer: 'The volcano erupted in 1815.' }) };
    const set: EvalSet = { name: 'toy', collections: [toyCollection()] };
    const { report } = evaluate(set, [alwaysFirst]);
    expect(report.questions).toBe(4);
    expect(report.systems['always-first']).toMatchObject({ r1: 25, r3: 100, answer: 33.3, rejected: 0 });
  });

  it('every peer and Footnote find the obvious paragraph of a toy article', () => {
    const { report } = evaluate({ name: 'toy', collections: [toyCollection()] }, SYSTEMS);
    expect(Object.keys(report.systems)).toEqual(SYSTEMS.map((system) => system.name));
    for (const [name, figures] of Object.entries(report.systems)) expect({ name, r3: figures.r3 }).toEqual({ name, r3: 100 });
  });
});
