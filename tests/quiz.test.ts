/**
 * Quizzes from the real article: every question it allows is generated and
 * checked against the article itself (answerable from its sentence, four
 * distinct options of one kind, the blanked term the only one that fits),
 * then the /quiz command flow through the same text parsing and component
 * handlers the chat and Discord use, with members of two servers and a DM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { StaleComponentError } from '../src/commands/components.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { articleFromTexts } from '../src/corpus/load.ts';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { phraseMeaning } from '../src/language/phrase-meaning.ts';
import { termsOf } from '../src/language/terms.ts';
import { cosine, sharedWordVectors, type WordVectors } from '../src/language/word-vectors.ts';
import type { Reply, ReplyAction } from '../src/reply/reply.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { Person } from '../src/study/people.ts';
import { BLANK, buildQuizBank, chooseQuestion, drawQuiz, questionsFor, quizBankOf, type ClozeQuestion, type QuizBank } from '../src/study/quiz.ts';
import { seededRandom } from '../src/study/random.ts';
import type { TimelineEvent } from '../src/study/timeline.ts';
import { runChat } from '../src/terminal/chat.ts';
import { CORPUS_DIR } from './support/app.ts';

let app: App;
let article: Article;
let bank: QuizBank;
let people: Person[];
let timeline: TimelineEvent[];
let now = Date.UTC(2026, 10, 29, 12);

beforeAll(async () => {
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: { now: () => now } });
  article = app.context.library.mainArticle;
  const guide = app.context.library.guide(article);
  [people, timeline, bank] = await Promise.all([guide.people(), guide.timeline(), quizBankOf(guide)]);
});

const SEEDS = [1, 2, 3, 42, 1234, 99_999];

/** Where `text` occurs in `within` as whole words, ignoring case (the test's own reading, not the generator's). */
function occurrences(within: string, text: string): number {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...within.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'))].length;
}

/** The front matter's alias group a place belongs to, or the place itself. */
function placeGroup(text: string): string {
  for (const [key, values] of Object.entries(article.aliases)) {
    if ([key, ...values].some((form) => form.toLowerCase() === text.toLowerCase())) return key;
  }
  return text;
}

function personOf(text: string): Person | undefined {
  return people.find((person) => person.name === text || person.aliases.includes(text));
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** A date option as written ("March 14", "early February 2016", "14 March 2016"); a year left out is `year`'s. */
function readDate(text: string, year: number): { year: number; month: number; day?: number } | undefined {
  const month = MONTHS.findIndex((name) => new RegExp(`\\b${name}\\b`, 'i').test(text)) + 1;
  if (month === 0) return undefined;
  const written = /\b(\d{4})\b/.exec(text)?.[1];
  const day = /\b(\d{1,2})\b/.exec(text.replace(/\b\d{4}\b/, ''))?.[1];
  return { year: written === undefined ? year : Number(written), month, ...(day === undefined ? {} : { day: Number(day) }) };
}

/** Two dates that could both be true of one day: the same day, or a month that holds the other. */
function datesOverlap(a: string, b: string): boolean {
  const y = timeline.find((event) => event.text === b)?.date;
  const x = timeline.find((event) => event.text === a)?.date ?? (y && readDate(a, y.year));
  if (!x || !y) throw new Error(`not a date: ${a} or ${b}`);
  if (x.year !== y.year || x.month !== y.month) return false;
  return x.day === undefined || y.day === undefined || x.day === y.day;
}

/** Whether an option is a term of the kind the question blanks, judged from the article's people, timeline and text. */
function isOfKind(kind: ClozeQuestion['answer']['kind'], option: string): boolean {
  switch (kind) {
    case 'person':
      return personOf(option) !== undefined;
    case 'date':
      // The text's own dates, or one of the same shape nearby (quiz-terms.ts: nearbyDates).
      return timeline.some((event) => event.text === option) || /^(?:(?:early|mid-|late) )?\p{Lu}\p{Ll}+(?: \d{1,2})?(?:,? \d{4})?$|^\d{1,2} \p{Lu}\p{Ll}+(?: \d{4})?$/u.test(option);
    case 'number':
      return /^\d[\d.,]*$/.test(option);
    case 'place':
      return /^\p{Lu}/u.test(option) && personOf(option) === undefined && occurrences(bodyParagraphs(article).map((p) => p.text).join('\n'), option) > 0;
    case 'phrase':
      return /^\p{Ll}[\p{Ll} -]*$/u.test(option) && bodyParagraphs(article).some((paragraph) => paragraph.text.includes(option));
  }
}

/** Why a wrong option could also be right, by the test's own reading; undefined when it cannot. */
function couldAlsoBeRight(question: ClozeQuestion, option: string): string | undefined {
  const answer = question.answer.text;
  if (option.toLowerCase() === answer.toLowerCase()) return 'equals the answer';
  if (occurrences(question.sentence, option) > 0) return 'appears in the sentence';
  if (occurrences(question.paragraph.text, option) > 0) return 'appears in the paragraph';
  switch (question.answer.kind) {
    case 'person':
      return personOf(option) === personOf(answer) ? 'the same person' : undefined;
    case 'place':
      return placeGroup(option) === placeGroup(answer) ? 'the same place' : undefined;
    case 'date':
      return datesOverlap(option, answer) ? 'an overlapping date' : undefined;
    case 'phrase':
      return termsOf(option).some((word) => termsOf(answer).includes(word)) ? 'shares a word' : undefined;
    case 'number':
      return Number(option.replaceAll(',', '')) === Number(answer.replaceAll(',', '')) ? 'the same number' : undefined;
  }
}

describe('every quiz the article allows', () => {
  it('yields quizzes of every kind the article has material for', () => {
    const perKind: Record<string, number> = {};
    for (const question of bank.cloze) perKind[question.answer.kind] = (perKind[question.answer.kind] ?? 0) + 1;
    // Seven people, eleven places, six dates and a few dozen key phrases; no digits outside dates.
    expect(perKind.person).toBeGreaterThanOrEqual(8);
    expect(perKind.place).toBeGreaterThanOrEqual(30);
    expect(perKind.date).toBe(timeline.length);
    expect(perKind.phrase).toBeGreaterThanOrEqual(20);
    expect(perKind.number).toBeUndefined();
    expect(bank.whichParagraph.length).toBeGreaterThanOrEqual(25);
    // Each question once.
    const keys = bank.cloze.map((question) => `${question.paragraph.number}:${question.sentence}:${question.index}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('blanks a term that is in its sentence exactly once, so the sentence answers it', () => {
    for (const question of bank.cloze) {
      const { sentence, index, answer, paragraph } = question;
      const where = `¶${paragraph.number} “${answer.text}” in “${sentence}”`;
      expect(paragraph.text, where).toContain(sentence);
      expect(sentence.slice(index, index + answer.text.length), where).toBe(answer.text);
      expect(occurrences(sentence, answer.text), where).toBe(1);
      expect(isOfKind(answer.kind, answer.text), where).toBe(true);
      // A person named twice (a full name and then a surname) would give the blank away.
      const person = answer.kind === 'person' ? personOf(answer.text) : undefined;
      if (person) {
        const mentions = [person.name, ...person.aliases].reduce((sum, form) => sum + occurrences(sentence, form), 0);
        expect(mentions - (answer.text === person.name && person.aliases.some((alias) => person.name.includes(alias)) ? 1 : 0), where).toBe(1);
      }
    }
  });

  it('offers only wrong options that cannot also be right, of the answer’s kind, from at least three different things', () => {
    for (const question of bank.cloze) {
      const where = `¶${question.paragraph.number} “${question.answer.text}”`;
      for (const distractor of question.distractors) {
        expect(couldAlsoBeRight(question, distractor.text), `${where}: ${distractor.text}`).toBeUndefined();
        expect(isOfKind(question.answer.kind, distractor.text), `${where}: ${distractor.text}`).toBe(true);
      }
      const things = new Set(question.distractors.map((distractor) => (question.answer.kind === 'person' ? personOf(distractor.text)?.name : question.answer.kind === 'place' ? placeGroup(distractor.text) : distractor.text.toLowerCase())));
      expect(things.size, where).toBeGreaterThanOrEqual(3);
    }
  });

  it('draws four distinct options of one kind, exactly one of them the blanked term, whatever the seed', () => {
    for (const question of bank.cloze) {
      for (const seed of SEEDS) {
        const drawn = drawQuiz(question, bodyParagraphs(article).length, seededRandom(seed));
        const where = `¶${question.paragraph.number} “${question.answer.text}” seed ${seed}: ${drawn.options.join(' / ')}`;
        expect(drawn.options, where).toHaveLength(4);
        expect(new Set(drawn.options.map((option) => option.toLowerCase())).size, where).toBe(4);
        expect(drawn.options.filter((option) => option === question.answer.text), where).toHaveLength(1);
        expect(drawn.options[drawn.answer], where).toBe(question.answer.text);
        expect(drawn.prompt.replace(BLANK, drawn.options[drawn.answer] as string), where).toBe(question.sentence);
        expect(drawn.prompt.split(BLANK), where).toHaveLength(2);
        for (const option of drawn.options) expect(isOfKind(question.answer.kind, option), `${where}: ${option}`).toBe(true);
        for (const option of drawn.options.filter((_, index) => index !== drawn.answer)) expect(couldAlsoBeRight(question, option), `${where}: ${option}`).toBeUndefined();
        // Two wrong options never name one thing (a name and its surname, a capital and its country).
        const wrong = drawn.options.filter((_, index) => index !== drawn.answer);
        const named = wrong.map((option) => (question.answer.kind === 'person' ? personOf(option)?.name : question.answer.kind === 'place' ? placeGroup(option) : option));
        expect(new Set(named).size, where).toBe(3);
      }
    }
  });

  it('quotes for “which paragraph” only sentences that one paragraph holds, with four ¶s from across the text to choose from', () => {
    const body = bodyParagraphs(article);
    for (const question of bank.whichParagraph) {
      const holders = body.filter((paragraph) => paragraph.text.includes(question.sentence));
      expect(holders.map((paragraph) => paragraph.number)).toEqual([question.paragraph.number]);
      for (const seed of SEEDS) {
        const drawn = drawQuiz(question, body.length, seededRandom(seed));
        const numbers = drawn.options.map((option) => Number(/^¶(\d+)$/.exec(option)?.[1]));
        expect(new Set(numbers).size).toBe(4);
        expect(numbers.every((number, index) => index === 0 || number > numbers[index - 1]!)).toBe(true);
        expect(numbers[0]).toBeGreaterThanOrEqual(1);
        expect(numbers[3]).toBeLessThanOrEqual(body.length);
        expect(drawn.options[drawn.answer]).toBe(`¶${question.paragraph.number}`);
        expect(drawn.prompt).toBe(question.sentence);
      }
    }
  });

  it('puts the right ¶ at every place among the four, depending on the draw', () => {
    const question = bank.whichParagraph.find((candidate) => candidate.paragraph.number === 6);
    const places = new Set(Array.from({ length: 40 }, (_, seed) => drawQuiz(question!, bodyParagraphs(article).length, seededRandom(seed)).answer));
    expect([...places].sort()).toEqual([0, 1, 2, 3]);
  });

  it('steers clear of the traps this article sets', () => {
    const cloze = (paragraph: number, answer: string) => bank.cloze.filter((question) => question.paragraph.number === paragraph && question.answer.text === answer);
    const texts = (questions: ClozeQuestion[]) => questions.flatMap((question) => question.distractors.map((distractor) => distractor.text));
    // "Washington must also negotiate with Tehran (as well as Riyadh)": the sentence before has Washington deal with Moscow.
    expect(cloze(9, 'Riyadh')).toHaveLength(1);
    expect(texts(cloze(9, 'Riyadh'))).not.toContain('Moscow');
    // Moscow is the Kremlin is Russia (the front matter's aliases).
    expect(texts(bank.cloze.filter((question) => question.answer.text === 'Moscow'))).not.toEqual(expect.arrayContaining(['Russia']));
    // They met "in early March": March 13 and March 14 are in early March too. The other early months stand in.
    const earlyMarch = texts(cloze(4, 'early March'));
    expect(earlyMarch).toEqual(expect.arrayContaining(['December 2015', 'November 2015', 'early February 2016', 'early April']));
    expect(earlyMarch.filter((text) => /March/.test(text))).toEqual([]);
    // "On March 14": wrong options of its own shape (a day), so "On early February 2016" never gives it away.
    const march14 = cloze(7, 'March 14')[0] ?? bank.cloze.find((question) => question.answer.text === 'March 14');
    expect(march14?.distractors.slice(0, 3).every((distractor) => distractor.shape === 'day')).toBe(true);
    // "Two possible explanations": "possible explanation" would be nearly the same words.
    expect(texts(cloze(6, 'possible explanations'))).not.toContain('possible explanation');
    // "Velayati was indeed told privately in Moscow … when Velayati announced": named twice, never blanked there.
    expect(bank.cloze.some((question) => question.sentence.startsWith('The first is that Velayati') && question.answer.kind === 'person')).toBe(false);
  });

  it('chooses by paragraph and kind, and draws the same quiz from the same seed', () => {
    expect(questionsFor(bank, { paragraph: 4 }).every((question) => question.paragraph.number === 4)).toBe(true);
    expect(questionsFor(bank, { paragraph: 4, kind: 'cloze' }).every((question) => question.kind === 'cloze')).toBe(true);
    const first = chooseQuestion(bank, {}, seededRandom(7));
    expect(chooseQuestion(bank, {}, seededRandom(7))).toBe(first);
    const chosen = Array.from({ length: 200 }, (_, seed) => chooseQuestion(bank, {}, seededRandom(seed)));
    expect(new Set(chosen.map((question) => question?.kind))).toEqual(new Set(['cloze', 'which-paragraph']));
    expect(new Set(chosen.flatMap((question) => (question?.kind === 'cloze' ? [question.answer.kind] : [])))).toEqual(new Set(['person', 'place', 'date', 'phrase']));
    expect(new Set(chosen).size).toBeGreaterThan(60);
  });

  it('draws a phrase’s or a place’s wrong options from those closest to it in meaning, never its near-synonyms', () => {
    const vectors = sharedWordVectors() as WordVectors;
    const closeness = (a: string, b: string) => cosine(phraseMeaning(a, vectors) as Float32Array, phraseMeaning(b, vectors) as Float32Array);
    const byMeaning = bank.cloze.filter((question) => question.answer.kind === 'phrase' || question.answer.kind === 'place');
    expect(byMeaning.length).toBeGreaterThan(20);
    let closer = 0;
    let drawn = 0;
    for (const question of byMeaning) {
      const known = (text: string) => phraseMeaning(text, vectors) !== undefined;
      if (!known(question.answer.text)) continue;
      const shaped = question.distractors.filter((term) => term.shape === question.answer.shape && known(term.text));
      for (const term of shaped) expect(closeness(question.answer.text, term.text), term.text).toBeLessThan(0.85);
      if (shaped.length < 8) continue;
      // The average closeness of the options drawn, against that of all wrong options of the answer's shape.
      const mean = (texts: string[]) => texts.reduce((sum, text) => sum + closeness(question.answer.text, text), 0) / texts.length;
      const quiz = drawQuiz(question, 11, seededRandom(drawn));
      const wrong = quiz.options.filter((_, i) => i !== quiz.answer).filter(known);
      drawn += 1;
      if (wrong.length > 0 && mean(wrong) > mean(shaped.map((term) => term.text))) closer += 1;
    }
    expect(drawn).toBeGreaterThan(10);
    expect(closer / drawn).toBeGreaterThan(0.8);
  });
});

describe('numbers written in digits', () => {
  const counts = articleFromTexts('seabirds', 'Seabirds', [
    'The survey counted 412 nesting pairs on the northern cliffs in 2019.',
    'By 2021 only 168 pairs remained, and volunteers found the colony quiet.',
    'Volunteers ringed 57 chicks during the short summer of 2015.',
    'In 2023 the count rose again to 240 pairs, with 31 new burrows.',
  ]);
  const numbers = buildQuizBank(counts, { people: [], timeline: [] });

  it('blanks counts with other counts, and years with other years, none from the same paragraph', () => {
    const numberQuestions = numbers.cloze.filter((question) => question.answer.kind === 'number');
    expect(numberQuestions.map((question) => question.answer.text).sort()).toEqual(['168', '2015', '2019', '2021', '2023', '240', '31', '412', '57']);
    for (const question of numberQuestions) {
      const years = question.distractors.map((distractor) => /^20\d\d$/.test(distractor.text));
      expect(years.every((year) => year === /^20\d\d$/.test(question.answer.text))).toBe(true);
      for (const distractor of question.distractors) expect(question.paragraph.text).not.toContain(distractor.text);
    }
  });
});

// ---- the command -------------------------------------------------------------------

function member(userId: string, guildId = 'g1'): Invoker {
  return { userId, displayName: `${userId}-name`, guildId, channelId: `${guildId}-general`, inThread: false, permissions: NO_PERMISSIONS };
}

const dm = (userId: string): Invoker => ({ userId, displayName: `${userId}-name`, channelId: `dm-${userId}`, inThread: false, permissions: NO_PERMISSIONS });

async function run(line: string, invoker: Invoker): Promise<Reply> {
  const parsed = parseTextCommand(line, app.commands, invoker);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle(parsed.input, app.context);
}

async function press(action: ReplyAction, invoker: Invoker): Promise<Reply> {
  const component = app.components.forAction(action);
  if (!component) throw new Error(`no component serves ${action.kind}`);
  // The action as a click brings it: decoded from its custom_id, without the label.
  const id = app.components.encode(action) as string;
  const decoded = app.components.decode(id);
  if (!decoded.ok) throw new Error(`${id} does not decode`);
  return component.handle(decoded.action, { invoker }, app.context);
}

const text = (reply: Reply) => reply.notes.join('\n');
const options = (reply: Reply) => reply.actions.filter((action) => action.kind === 'quiz-answer');
const reveal = (reply: Reply) => reply.actions.find((action) => action.kind === 'quiz-reveal') as ReplyAction;

/** The quiz behind a posted question, as stored. */
async function stored(reply: Reply, invoker: Invoker) {
  const id = Number(/^Quiz #(\d+)/.exec(reply.title)?.[1]);
  const quiz = await app.context.store.quizzes.get(invoker.guildId === undefined ? `dm:${invoker.userId}` : `guild:${invoker.guildId}`, id);
  if (!quiz) throw new Error(`no quiz #${id}`);
  return quiz;
}

describe('/quiz', () => {
  beforeEach(() => {
    app.context.store = new MemoryStore();
    now += 60_000;
  });

  it('posts a question with four options and Reveal, draws the same one at the same moment, another later', async () => {
    const reply = await run('/quiz start', member('ada'));
    expect(reply.title).toMatch(/^Quiz #1: (fill in the blank|which paragraph)$/);
    expect(reply.private).toBeUndefined();
    expect(options(reply)).toHaveLength(4);
    expect(reveal(reply)).toEqual({ kind: 'quiz-reveal', quiz: 1 });
    expect(app.components.encode(reveal(reply))).toBe('fn1:qr:1');
    expect(app.components.encode(options(reply)[2]!)).toBe('fn1:qa:1.2');
    expect(text(reply)).toContain('No answers yet.');
    const quiz = await stored(reply, member('ada'));
    expect(options(reply).map((action) => action.label)).toEqual(quiz.options);
    expect(text(reply)).toContain(`“${quiz.prompt}”`);

    // In another server at the same moment, the same quiz; here, the server's latest sentences are not asked again.
    const elsewhere = await run('/quiz start', { ...member('ada'), guildId: '100000000000000009' });
    expect((await stored(elsewhere, { ...member('ada'), guildId: '100000000000000009' })).sentence).toBe(quiz.sentence);
    const seen = [quiz.sentence];
    for (let i = 0; i < 20; i += 1) seen.push((await stored(await run('/quiz start', member('ada')), member('ada'))).sentence);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('asks about the paragraph and kind asked for', async () => {
    const cloze = await run('/quiz start paragraph:4 kind:cloze', member('ada'));
    const quiz = await stored(cloze, member('ada'));
    expect(quiz).toMatchObject({ kind: 'cloze', paragraph: 4 });
    expect(quiz.prompt).toContain(BLANK);
    expect(text(cloze)).toContain(`(¶4)`);
    // Which paragraph, about a paragraph named in public, would give its answer away: refused, and a blank asked without a kind.
    const refused = await run('/quiz start paragraph:7 kind:which-paragraph', member('ada'));
    expect(refused).toMatchObject({ kind: 'error', title: 'That would give the answer away', private: true });
    expect(await stored(await run('/quiz start paragraph:7', member('ada')), member('ada'))).toMatchObject({ kind: 'cloze', paragraph: 7 });
    const which = await run('/quiz start kind:which-paragraph', member('ada'));
    const placed = await stored(which, member('ada'));
    expect(placed.kind).toBe('which-paragraph');
    // The ¶ is the answer: the question names the range, not the paragraph.
    expect(text(which)).not.toContain(`¶${placed.paragraph})`);
    expect(text(which)).toContain('(¶1–¶11)');
  });

  it('counts each member’s first click, tells them privately, and updates the tally for all', async () => {
    const question = await run('/quiz start paragraph:1 kind:cloze', member('ada'));
    const quiz = await stored(question, member('ada'));
    const right = options(question)[quiz.answer]!;
    const wrong = options(question).find((_, index) => index !== quiz.answer)!;

    const first = await press(right, member('bo'));
    expect(first.private).toBeUndefined();
    expect(text(first)).toContain('1 answered · 1 right');
    expect(options(first)).toHaveLength(4);
    expect(first.followUp).toMatchObject({ title: 'Right!', private: true });
    expect(first.followUp?.answer).toEqual([{ text: quiz.sentence, cite: expect.objectContaining({ paragraph: 1, label: '¶1' }) }]);

    const second = await press(wrong, member('cy'));
    expect(text(second)).toContain('2 answered · 1 right');
    expect(second.followUp?.title).toBe('Not quite');
    expect(text(second.followUp!)).toContain(`the answer is “${quiz.options[quiz.answer]}”`);

    const again = await press(wrong, member('bo'));
    expect(again).toMatchObject({ title: 'You already answered', private: true });
    expect(again.followUp).toBeUndefined();
    expect(text(again)).toContain('which was right');
    expect(await app.context.store.quizzes.tally('guild:g1', quiz.id)).toEqual({ answered: 2, correct: 1 });
  });

  it('reveals the answer for the starter only, after which clicks no longer count', async () => {
    const question = await run('/quiz start kind:which-paragraph', member('ada'));
    const quiz = await stored(question, member('ada'));
    await press(options(question)[quiz.answer]!, member('bo'));

    const refused = await press(reveal(question), member('bo'));
    expect(refused).toMatchObject({ title: 'Only the starter can reveal', private: true });
    const shown = await press(reveal(question), member('ada'));
    expect(shown.title).toBe(`Quiz #${quiz.id}: the answer`);
    expect(shown.private).toBeUndefined();
    expect(shown.actions).toEqual([]);
    expect(text(shown)).toContain(`The answer: ¶${quiz.paragraph}.`);
    expect(text(shown)).toContain('1 answered · 1 right');
    expect(shown.answer[0]?.cite.label).toBe(`¶${quiz.paragraph}`);

    const late = await press(options(question)[0]!, member('cy'));
    expect(late).toMatchObject({ title: 'This quiz is over', private: true });
    expect(await app.context.store.quizzes.tally('guild:g1', quiz.id)).toEqual({ answered: 1, correct: 1 });
  });

  it('keeps servers apart: another server’s quiz is not there to click', async () => {
    const question = await run('/quiz start', member('ada'));
    await expect(press(options(question)[0]!, member('ed', 'g2'))).rejects.toBeInstanceOf(StaleComponentError);
    await expect(press(reveal(question), member('ada', 'g2'))).rejects.toBeInstanceOf(StaleComponentError);
    await expect(press({ kind: 'quiz-answer', quiz: 999, choice: 0 }, member('ada'))).rejects.toBeInstanceOf(StaleComponentError);
  });

  it('ranks the server’s members by name without pinging anyone, with your own rank, and forgets you on request', async () => {
    for (const [index, user] of ['bo', 'cy', 'di'].entries()) {
      for (let round = 0; round <= index; round += 1) {
        now += 1;
        const question = await run('/quiz start', member('ada'));
        const quiz = await stored(question, member('ada'));
        // bo: 1 of 1 right; cy: 2 of 2; di: 2 of 3.
        const choice = user === 'di' && round === 0 ? (quiz.answer + 1) % 4 : quiz.answer;
        await press(options(question)[choice]!, member(user));
      }
    }
    const board = await run('/quiz scores', member('bo'));
    expect(board.private).toBe(true);
    expect(board.notes.slice(0, 3)).toEqual(['1. cy-name — 2 right of 2', '2. di-name — 2 right of 3', '3. bo-name — 1 right of 1']);
    expect(text(board)).toContain('You: #3, 1 right of 1.');
    expect(text(board)).not.toMatch(/<@/);
    expect(text(await run('/quiz scores', member('ada')))).toContain('You have not answered a quiz in this server yet.');
    expect(text(await run('/quiz scores', member('ada', 'g2')))).toContain('Nobody has answered a quiz in this server yet.');

    const forgot = await run('/quiz forget-me', member('cy'));
    expect(forgot).toMatchObject({ title: 'Quiz answers deleted', private: true });
    expect(text(forgot)).toContain('Deleted your 2 answers in this server');
    expect((await run('/quiz scores', member('bo'))).notes.slice(0, 2)).toEqual(['1. di-name — 2 right of 3', '2. bo-name — 1 right of 1']);
    expect(text(await run('/quiz forget-me', member('cy')))).toContain('nothing to delete');
  });

  it('works for one person in a DM, without a leaderboard', async () => {
    const question = await run('/quiz start', dm('fay'));
    const quiz = await stored(question, dm('fay'));
    const answered = await press(options(question)[quiz.answer]!, dm('fay'));
    expect(answered.followUp?.title).toBe('Right!');
    const shown = await press(reveal(question), dm('fay'));
    expect(shown.title).toBe(`Quiz #${quiz.id}: the answer`);
    const score = await run('/quiz scores', dm('fay'));
    expect(text(score)).toBe('Quizzes here are yours alone, so there is no leaderboard.\nYou have answered 1 right of 1.');
  });

  it('answers bad input with a clear message', async () => {
    expect(await run('/quiz start paragraph:12', member('ada'))).toMatchObject({ kind: 'error', title: 'No such paragraph', private: true });
    await expect(run('/quiz start kind:essay', member('ada'))).rejects.toThrow(/kind/);
    const quiz = app.commands.find((command) => command.definition.name === 'quiz')!;
    // A forged option value (Discord checks choices; a forged interaction may not).
    const forged = await quiz.handle({ subcommand: 'start', options: { kind: 'essay' }, invoker: member('ada') }, app.context);
    expect(forged).toMatchObject({ title: 'No such kind of quiz', private: true });
    expect(text(forged)).toContain('cloze and which-paragraph');
  });
});

describe('/quiz when the database cannot write', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('says so plainly, for a new quiz and for a click', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footnote-quiz-test-'));
    dirs.push(dir);
    const writable = new SqliteStore(dir);
    app.context.store = writable;
    const question = await run('/quiz start', member('ada'));
    await writable.close();
    const readonly = new SqliteStore(dir, { readonly: true });
    app.context.store = readonly;
    try {
      expect(await run('/quiz start', member('ada'))).toMatchObject({ kind: 'error', title: 'Could not start the quiz', private: true });
      const click = await press(options(question)[0]!, member('bo'));
      expect(click).toMatchObject({ kind: 'error', title: 'Could not record your answer', private: true });
      expect(text(click)).toContain('read-only');
    } finally {
      await readonly.close();
    }
  });
});

describe('the quiz in the terminal chat', () => {
  it('prints the updated question, then what only the clicker would see', async () => {
    app.context.store = new MemoryStore();
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const done = runChat(app, { input, output, interactive: false });
    input.end('/quiz start kind:which-paragraph\n/press 2\n/press 2\n');
    await done;
    const [, afterFirst = ''] = written.split('1 answered · ');
    expect(written).toContain('Next: /press 1 for ¶');
    expect(written).toContain('/press 5 for Reveal');
    // The click's two outputs: the question with its tally, then the verdict quoting the sentence with its ¶.
    expect(afterFirst).toMatch(/^[01] right[\s\S]*\n\n(Right!|Not quite)\n\nYou chose ¶\d+[\s\S]*\(¶\d+\)/);
    expect(written).toContain('You already answered');
  });
});
