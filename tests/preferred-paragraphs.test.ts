import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, type SearchOutcome } from '../src/answer/engine.ts';
import { loadCorpus } from '../src/corpus/load.ts';
import type { Article } from '../src/corpus/types.ts';

let article: Article;
let engine: Engine;
beforeAll(async () => {
  [article] = (await loadCorpus('corpus')) as [Article];
  engine = new Engine([article]);
});

const labels = (outcome: SearchOutcome) => outcome.passages.map((passage) => passage.paragraph.label);
const scores = (outcome: SearchOutcome) => new Map(outcome.passages.map((passage) => [passage.paragraph.label, passage.score]));

describe('preferred paragraphs (a discussion of ¶N)', () => {
  it('changes nothing when absent', () => {
    const question = 'Why are Russia and Iran not allies?';
    expect(engine.search(question, {})).toEqual(engine.search(question));
    expect(engine.search(question, { prefer: undefined })).toEqual(engine.search(question));
  });

  it('puts the preferred paragraphs that match first, best first, and leaves the others as they were', () => {
    const question = 'What about Syria?';
    const plain = engine.search(question);
    expect(labels(plain)).toEqual(['¶3', '¶1', '¶9', '¶5', '¶10']);
    // ¶8 says nothing of Syria: it stays out.
    const preferred = engine.search(question, { prefer: { article: article.slug, paragraphs: [8, 9, 10] } });
    expect(labels(preferred)).toEqual(['¶9', '¶10', '¶3', '¶1', '¶5']);
    expect(scores(preferred)).toEqual(scores(plain));
    expect(preferred.answer[0]?.paragraph.label).toBe('¶9');
  });

  it('finds a matching preferred paragraph beyond the candidates the re-ranker usually looks at', () => {
    const few = new Engine([article], { candidates: 3 });
    const question = 'What about Syria?';
    const plain = few.search(question);
    expect(labels(plain)).not.toContain('¶5');
    const preferred = few.search(question, { prefer: { article: article.slug, paragraphs: [5] } });
    expect(labels(preferred)).toEqual(['¶5', ...labels(plain)]);
    expect(new Map([...scores(preferred)].filter(([label]) => label !== '¶5'))).toEqual(scores(plain));
  });

  it('never decides whether the article answers', () => {
    const everything = { article: article.slug, paragraphs: Array.from({ length: 20 }, (_, i) => i + 1) };
    expect(engine.search('What is the weather on Mars?', { prefer: everything }).answered).toBe(false);
  });

  it('reads ¶ numbers within the named article only', () => {
    const question = 'What about Syria?';
    expect(engine.search(question, { prefer: { article: 'another-article', paragraphs: [9] } })).toEqual(engine.search(question));
  });
});
