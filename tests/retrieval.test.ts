import { beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.ts';
import questions from './fixtures/article-questions.json' with { type: 'json' };
import { testApp } from './support/app.ts';

interface GoldQuestion {
  question: string;
  paragraph: number;
  answer: string;
  /** Reason questions: words of the sentence that gives the reason. */
  answerSentences?: string[];
  kind: 'direct' | 'paraphrase' | 'reason';
}

interface OffTopicQuestion {
  question: string;
  kind: 'off-topic';
}

let library: Library;
beforeAll(async () => {
  library = (await testApp()).context.library;
});

/** Rank (0-based) of the gold body paragraph, or -1. */
function rankOf(gold: GoldQuestion): number {
  const outcome = library.engine.search(gold.question);
  return outcome.passages.findIndex((p) => p.paragraph.role === 'body' && p.paragraph.number === gold.paragraph);
}

function recall(set: GoldQuestion[], k: number): number {
  return set.filter((gold) => {
    const rank = rankOf(gold);
    return rank >= 0 && rank < k;
  }).length / set.length;
}

const all = (questions as (GoldQuestion | OffTopicQuestion)[]).filter((q): q is GoldQuestion => q.kind !== 'off-topic');
const direct = all.filter((q) => q.kind === 'direct');
const paraphrase = all.filter((q) => q.kind === 'paraphrase');
const reason = all.filter((q) => q.kind === 'reason');
const offTopic = (questions as { question: string; kind: string }[]).filter((q) => q.kind === 'off-topic');

describe('retrieval on the article question set', () => {
  it('has a question set large and varied enough to mean something', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((q) => q.paragraph)).size).toBe(11);
    expect(new Set(reason.map((q) => q.paragraph)).size).toBeGreaterThanOrEqual(9);
  });

  // Floors are the measured values minus a small margin (see README, "Measured").
  it('finds the gold paragraph of direct questions first', () => {
    // Measured: R@1 100 %, R@3 100 % (36 questions).
    expect(recall(direct, 1)).toBeGreaterThanOrEqual(0.94);
    expect(recall(direct, 3)).toBeGreaterThanOrEqual(0.97);
  });

  it('finds the gold paragraph of paraphrased questions', () => {
    expect(recall(paraphrase, 1)).toBeGreaterThanOrEqual(PARAPHRASE_R1);
    expect(recall(paraphrase, 3)).toBeGreaterThanOrEqual(PARAPHRASE_R3);
  });
});

// Measured: R@1 77.4 %, R@3 87.1 % (31 questions; a "not in the article" counts as a miss).
const PARAPHRASE_R1 = 0.7;
const PARAPHRASE_R3 = 0.8;

describe('what a reader is told', () => {
  it('refuses at most one on-topic paraphrase in thirty, and every off-topic question', () => {
    expect(paraphrase.length).toBeGreaterThanOrEqual(30);
    const refused = paraphrase.filter((gold) => library.ask(gold.question).kind === 'not-found');
    expect(refused.length / paraphrase.length, refused.map((gold) => gold.question).join('; ')).toBeLessThanOrEqual(1 / 30);
    expect(offTopic.length).toBeGreaterThanOrEqual(15);
    for (const question of offTopic) expect(library.ask(question.question).kind, question.question).toBe('not-found');
  });

  it('quotes the sentence that gives the reason among the first two, for why, how and should questions', () => {
    // Measured: 90 % (27 of 30); before quoting the reason it was 66.7 %.
    expect(reason.length).toBeGreaterThanOrEqual(25);
    const hits = reason.filter((gold) => {
      const firstTwo = library.ask(gold.question).answer.slice(0, 2).map((sentence) => sentence.text).join(' ');
      return (gold.answerSentences ?? []).some((words) => firstTwo.includes(words));
    });
    expect(hits.length / reason.length).toBeGreaterThanOrEqual(0.85);
  });

  it('answers "why" with the claim and then its reason, and "what must Washington do" with the recommendation', () => {
    expect(library.ask('Why are Russia and Iran not allies?').answer.slice(0, 2).map((sentence) => sentence.text)).toEqual([
      'Despite their numerous anti-Western interests, Russia and Iran are not allies.',
      'Neither is willing to give up much of anything for the sake of good relations with the other.',
    ]);
    const should = library.ask('What must Washington do to reach a settlement in Syria?').answer.map((sentence) => sentence.text);
    expect(should.slice(0, 2).join(' ')).toContain('To reach such a settlement, Washington must also negotiate with Tehran');
  });

  it('gives the closest passages, marked as low confidence, for an on-topic question the article does not answer directly', () => {
    const reply = library.ask('Why did Moscow wave off a four-way pact?');
    expect(reply).toMatchObject({ kind: 'answer', confidence: 'low', answer: [] });
    expect(reply.notes[0]).toBe('The article may not answer this directly; the closest passages are:');
    expect(reply.passages.length).toBeGreaterThan(0);
    expect(library.ask('Why are Russia and Iran not allies?').confidence).toBe('high');
  });
});

describe('answers', () => {
  it('quotes every answer sentence verbatim from the paragraph it cites', () => {
    const article = library.mainArticle;
    for (const gold of all) {
      const reply = library.ask(gold.question);
      for (const sentence of reply.answer) {
        const cited = article.paragraphs.find((p) => p.label === sentence.cite.label);
        expect(cited?.text, gold.question).toContain(sentence.text);
      }
      expect(reply.answer.length).toBeLessThanOrEqual(3);
    }
  });

  it('answers with the sentence that holds the answer for most direct questions', () => {
    const hits = direct.filter((gold) => library.ask(gold.question).answer[0]?.text.includes(gold.answer)).length;
    expect(hits / direct.length).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    ['What did Tehran demand before finishing the power station?', '¶8', 'new price conditions'],
    ['Do Russian jets respect Turkish sovereignty?', '¶4', 'territorial integrity'],
    ['What does the Kremlin think of Velayati?', '¶5', 'speculative'],
  ])('answers the paraphrase “%s” from %s', (question, label, words) => {
    const reply = library.ask(question);
    expect(reply.passages.slice(0, 2).map((p) => p.cite.label)).toContain(label);
    expect(reply.answer.map((sentence) => sentence.text).join(' ')).toContain(words);
  });

  it('uses one-word aliases only: "America" does not pull in "states"', () => {
    const concepts = library.engine.search('What did America promise?').concepts;
    const america = concepts.find((concept) => concept.word === 'america');
    expect(america?.alternatives.map((alternative) => alternative.term)).toEqual(expect.arrayContaining(['washington']));
    expect(america?.alternatives.map((alternative) => alternative.term)).not.toContain('state');
  });

  it('answers /why-not-allies from ¶9', () => {
    const reply = library.ask('Why are Russia and Iran not allies?');
    expect(reply.kind).toBe('answer');
    expect(reply.answer[0]).toMatchObject({ text: 'Despite their numerous anti-Western interests, Russia and Iran are not allies.', cite: { label: '¶9' } });
    expect(reply.passages[0]?.cite.label).toBe('¶9');
  });

  it('shows passages best first with the matched words emphasised and a full text', () => {
    const reply = library.ask('Why did Iran refuse the oil freeze?');
    const first = reply.passages[0];
    expect(first?.cite.label).toBe('¶7');
    expect(first?.excerpt.filter((span) => span.emphasis).map((span) => span.text.toLowerCase())).toEqual(expect.arrayContaining(['oil', 'freeze']));
    expect(first?.full).toMatch(/^Further, on March 13/);
  });

  it('trims a long passage around its best sentences with an ellipsis', () => {
    const reply = library.ask('Why might Velayati have wanted to frighten the Gulf Arab states?');
    const six = reply.passages.find((p) => p.cite.label === '¶6');
    const text = six?.excerpt.map((span) => span.text).join('') ?? '';
    expect(text).toContain('frighten the Gulf Arab states');
    expect(text).toContain('…');
    expect(text.length).toBeLessThan(six!.full.length);
  });

  it('pages through more passages without repeating', () => {
    const first = library.ask('Russia Iran Turkey', { top: 2 });
    const more = first.actions.find((action) => action.kind === 'more-passages');
    expect(more).toMatchObject({ kind: 'more-passages', offset: 2 });
    const second = library.ask('Russia Iran Turkey', { top: 2, offset: 2 });
    const labels = (reply: typeof first) => reply.passages.map((p) => p.cite.label);
    expect(labels(second).some((label) => labels(first).includes(label))).toBe(false);
    expect(second.answer).toEqual([]);
  });

  it('labels a reader comment as a reader comment, not the author', () => {
    const reply = library.ask('What do readers think of the Erdogan regime?');
    expect(reply.passages[0]?.cite.role).toBe('comment');
    expect(reply.passages[0]?.cite.label).toMatch(/^reader comment \d$/);
  });
});

describe('questions the article does not cover', () => {
  it.each([
    'What is a good pasta recipe?',
    'qwerty zxcvb',
    'Who won the last Super Bowl?',
    'What is the weather today?',
    'How do I bake bread?',
    'What is the capital of France?',
    'Tell me about football',
    'How tall is Mount Everest?',
    'Recommend a good laptop for programming',
    'What time is it?',
    'What times are they?',
    'Why not?',
    'So what?',
    'Really?',
    "won't won't won't",
    'How do vaccines work?',
    'Who wrote Hamlet?',
    'How do I reset my password?',
  ])('says so plainly for “%s”', (question) => {
    const reply = library.ask(question);
    expect(reply.kind).toBe('not-found');
    expect(reply.passages).toEqual([]);
    expect(reply.answer).toEqual([]);
    expect(reply.notes.join(' ')).toMatch(/does not seem to cover/);
    expect(reply.notes.join(' ')).toMatch(/\/help/);
  });

  it('answers real questions that share few words with the text', () => {
    for (const question of ['Who is Velayati?', 'What about Hezbollah?', 'TASS', 'Bandar Abbas', 'Is Davutoglou mentioned?']) {
      expect(library.ask(question).kind, question).toBe('answer');
    }
  });

  it('answers a question about the article’s own subject, though its words are in every paragraph', () => {
    for (const question of ['Tell me about Iran', 'Iran', 'What about Putin?']) {
      expect(library.ask(question).kind, question).toBe('answer');
    }
  });
});

describe('awkward input', () => {
  it.each([
    ['empty', ''],
    ['spaces', '    '],
    ['emoji only', '🙂🙂🙂'],
    ['zero-width only', '\u200b\u200c\u200d\ufeff'],
    ['punctuation', '?!?!...'],
  ])('asks for a question when it gets %s', (_name, question) => {
    const reply = library.ask(question);
    expect(reply.kind).toBe('info');
    expect(reply.notes.join(' ')).toMatch(/question/i);
  });

  it('reads through zero-width characters and markdown', () => {
    expect(library.ask('Why are Rus\u200bsia and Iran not al\u200dlies?').answer[0]?.cite.label).toBe('¶9');
    expect(library.ask('**Why** are _Russia_ and `Iran` not ~~allies~~?').answer[0]?.cite.label).toBe('¶9');
  });

  it('cuts a 6,000-character question and says so', () => {
    const reply = library.ask(`Why are Russia and Iran not allies? ${'blah '.repeat(1200)}`);
    expect(reply.notes[0]).toMatch(/cut to its first 300 characters/);
    expect(['answer', 'not-found']).toContain(reply.kind);
  });

  it('treats @everyone and mentions as plain words', () => {
    const reply = library.ask('@everyone <@&123456789012345678> why are Russia and Iran not allies?');
    expect(reply.answer[0]?.cite.label).toBe('¶9');
  });
});

describe('acronyms', () => {
  it('reads “US” as the country, not the pronoun “us”', () => {
    const reply = library.ask('What should the US do?');
    expect(reply.answer.map((sentence) => sentence.cite.label)).not.toContain('¶7');
    for (const sentence of reply.answer) expect(sentence.text).toMatch(/U\.S\.|Washington|America/);
  });

  it('emphasises “U.S.” in passages as a matched word, whole', () => {
    const reply = library.ask('What should the U.S. do about Iran?');
    const emphasised = reply.passages.flatMap((passage) => passage.excerpt.filter((span) => span.emphasis).map((span) => span.text));
    expect(emphasised).toContain('U.S.');
  });
});

describe('questions that ask for a quantity', () => {
  it('gets the closest passages, said to be such, when nothing near names any quantity', () => {
    for (const question of ['How many troops does Russia have in Syria?', 'how much oil does Iran produce?']) {
      const reply = library.ask(question);
      expect(reply.confidence, question).toBe('low');
      expect(reply.answer, question).toEqual([]);
    }
  });

  it('is answered where the text counts it, dates not counted as quantities', async () => {
    const { asksForQuantity, namesQuantity } = await import('../src/answer/engine.ts');
    const reply = library.ask('How many explanations are there for the episode?');
    expect(reply.confidence).toBe('high');
    expect(reply.answer[0]?.text).toContain('two possible explanations');
    expect(asksForQuantity('Which countries agreed to limit how much oil they pump?')).toBe(false);
    expect(asksForQuantity('And how many were there?')).toBe(true);
    expect(namesQuantity('On March 14, in December 2015, they met.')).toBe(false);
    expect(namesQuantity('They sold 40 jets.')).toBe(true);
  });
});

describe('questions about someone the text never names', () => {
  it('gets the closest passages, said to be such, instead of another person’s words quoted as the answer', () => {
    const reply = library.ask('What did Novak say about the oil freeze?');
    expect(reply.confidence).toBe('low');
    expect(reply.answer).toEqual([]);
    expect(reply.passages[0]?.cite.label).toBe('¶7');
  });

  it('still answers a name the text has, misspelt or not, and one the text names in passing', () => {
    for (const question of ['What did Velayatti announce?', 'What did Velayati announce?', 'What did Zanganeh say about the oil freeze?']) {
      expect(library.ask(question).confidence, question).toBe('high');
    }
  });
});

describe('passages under an answer', () => {
  it('shows only those that add something, the rest behind More passages', () => {
    const reply = library.ask('Who made the oil freeze deal?');
    expect(reply.passages.map((passage) => passage.cite.label)).toEqual(['¶7']);
    expect(reply.actions.some((action) => action.kind === 'more-passages')).toBe(true);
    // A question several paragraphs answer in part keeps them all.
    expect(library.ask('Why are Russia and Iran not allies?').passages).toHaveLength(3);
  });

  it('keeps every closest passage when none is a confident answer', () => {
    expect(library.ask('How many troops does Russia have in Syria?').passages).toHaveLength(3);
  });
});
