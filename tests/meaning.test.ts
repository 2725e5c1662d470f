import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rewording } from '../eval/reword.ts';
import { ANSWERABILITY_FEATURES } from '../src/answer/answerability.ts';
import { WordNet } from '../src/language/wordnet.ts';
import { Engine } from '../src/answer/engine.ts';
import { nearMatchCredit, NEAR_MATCH } from '../src/answer/meaning.ts';
import { loadCorpus } from '../src/corpus/load.ts';
import { articleFromTexts } from '../src/corpus/load.ts';
import type { Article } from '../src/corpus/types.ts';
import { readFollowUp, type Exchange } from '../src/conversation/follow-up.ts';
import { cosine, DEFAULT_WORD_VECTOR_TABLE, readWordVectorTable, WordVectorTableError, type WordVectors } from '../src/language/word-vectors.ts';

let vectors: WordVectors;
let article: Article;
beforeAll(async () => {
  // npm install builds the table (postinstall); a test run without it is a broken install, not a skip.
  vectors = readWordVectorTable(DEFAULT_WORD_VECTOR_TABLE);
  [article] = (await loadCorpus('corpus')) as [Article];
});

const similarity = (a: string, b: string) => cosine(vectors.vector(a) as Float32Array, vectors.vector(b) as Float32Array);

describe('the word-vector table', () => {
  it('knows that words of one meaning point the same way, and unrelated words do not', () => {
    expect(vectors.dimensions).toBe(100);
    expect(vectors.size).toBe(150_000);
    expect(similarity('atomic', 'nuclear')).toBeGreaterThan(0.75);
    expect(similarity('output', 'production')).toBeGreaterThan(0.7);
    expect(similarity('bread', 'iran')).toBeLessThan(0.2);
    expect(similarity('iran', 'iran')).toBeCloseTo(1, 2);
    expect(vectors.vector('qwxzvbnm')).toBeUndefined();
    expect(vectors.vector('')).toBeUndefined();
    expect(vectors.vector('x'.repeat(500))).toBeUndefined();
  });

  it('refuses a damaged or foreign file with a message that says how to rebuild it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'footnote-vectors-'));
    const truncated = join(dir, 'truncated.bin');
    writeFileSync(truncated, readFileSync(DEFAULT_WORD_VECTOR_TABLE).subarray(0, 100_000));
    expect(() => readWordVectorTable(truncated)).toThrow(WordVectorTableError);
    expect(() => readWordVectorTable(truncated)).toThrow(/npm run build-vectors/);
    const foreign = join(dir, 'foreign.bin');
    copyFileSync(join('corpus', `${article.slug}.md`), foreign);
    expect(() => readWordVectorTable(foreign)).toThrow(/not a Footnote word-vector table/);
  });

  it('credits a near word in proportion to how close it is, nothing below the floor', () => {
    expect(nearMatchCredit(1)).toBe(1);
    expect(nearMatchCredit(NEAR_MATCH - 0.01)).toBe(0);
    expect(nearMatchCredit(0.8)).toBeGreaterThan(nearMatchCredit(0.6));
  });
});

describe('answers by meaning', () => {
  const texts = [
    'The two governments signed a treaty on fishing rights in the northern sea.',
    'The reactor programme enriched uranium for nuclear weapons, the inspectors reported.',
    'Farmers sold more bread and cheese at the market this year.',
  ];
  const small = articleFromTexts('meaning', 'Meaning', texts);

  it('finds the passage that says a question word another way, which lexical matching alone cannot', () => {
    const question = 'What did the atomic programme do?';
    const withMeaning = new Engine([small], { answerAll: true, wordVectors: vectors });
    const without = new Engine([small], { answerAll: true, wordVectors: null });
    expect(withMeaning.search(question).passages[0]?.paragraph.number).toBe(2);
    // "atomic" is nowhere in the text: without meaning, "programme" alone ties nothing to "nuclear".
    const search = withMeaning.search('Which atomic arms did the inspectors report?');
    expect(search.passages[0]?.paragraph.number).toBe(2);
    expect(without.search('Which atomic arms?').passages).toEqual([]);
    expect(withMeaning.search('Which atomic arms?').passages[0]?.paragraph.number).toBe(2);
  });

  it('never quotes an answer to a question far from every word of the text', () => {
    const engine = new Engine([article], { wordVectors: vectors });
    for (const question of ['What is the best programming language for beginners?', 'How do I bake sourdough bread?', 'Which atomic clock is most accurate?']) {
      expect(engine.search(question).answered, question).toBe(false);
      expect(engine.search(question).answer, question).toEqual([]);
    }
    expect(engine.search('How do I bake sourdough bread?').confidence).toBe('none');
  });

  it('refuses, rather than offering closest passages, a question that only shares a root or an everyday word with the text', () => {
    const engine = new Engine([article], { wordVectors: vectors });
    // "beginners" is not "began": a derived form finds passages but names nothing the text is about.
    expect(engine.search('What is the best programming language for beginners?').confidence).toBe('none');
  });

  it('tells a word the text lacks but says in other words from one far from all of it', () => {
    const engine = new Engine([article], { wordVectors: vectors });
    const far = (question: string) => {
      const features = engine.answerabilityFeaturesOf(question) as number[];
      return features[ANSWERABILITY_FEATURES.indexOf('far')];
    };
    // "atomic" is near "nuclear" (0.83); "guitar" and "password" are near nothing the article says.
    expect(far('Which atomic deal did Iran sign?')).toBe(0);
    expect(far('Which guitar password did Iran sign?')).toBeGreaterThan(0.3);
  });
});

describe('questions in a discussion thread', () => {
  it('answers a question that does not name its subject from the thread\'s paragraph', () => {
    const engine = new Engine([article], { wordVectors: vectors });
    const outcome = engine.search('which explanation is more likely?', { prefer: { article: article.slug, paragraphs: [5, 6, 7] } });
    expect(outcome.answered).toBe(true);
    expect(outcome.answer[0]?.paragraph.number).toBe(6);
  });
});

describe('follow-ups by meaning', () => {
  const last: Exchange = { question: 'Who made the oil freeze deal?', names: ['Iran'], paragraph: { article: 'a', number: 9 }, answer: 'x', at: 0 };
  const namesIn = () => [];

  it('reads a question about the article itself as a new question, not glued to the last one', () => {
    expect(readFollowUp('when was this written', last, 10, namesIn)).toEqual({ question: 'when was this written' });
    expect(readFollowUp('Who is the author of this article?', last, 10, namesIn)).toEqual({ question: 'Who is the author of this article?' });
    expect(readFollowUp('what was the point of it', last, 10, namesIn).followUp).toEqual({ prefer: { article: 'a', paragraphs: [9] } });
  });
});

describe('reworded questions for tuning (eval/reword.ts)', () => {
  it('puts every second shared word in other words the paragraph does not use, and keeps names', () => {
    const rewording = new Rewording(vectors, new WordNet());
    const paragraph = 'Warsaw is the largest city of Poland and its capital; its old town was rebuilt after the war.';
    const reworded = rewording.reword('What is the largest city in Poland?', paragraph) as string;
    expect(reworded).toMatch(/^What is the \w+ city in Poland\?$/);
    expect(reworded).not.toContain('largest');
    expect(rewording.reword('Who rebuilt Warsaw?', 'Nothing here is shared.')).toBeUndefined();
  });
});
