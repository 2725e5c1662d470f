/**
 * npm run eval:quizzes [-- --draws N]
 *
 * How well the article's quizzes test reading: every question the quiz bank
 * holds, each drawn N times (as /quiz start draws it, from seeds), answered
 * by a reader who looks only at grammar (eval/quiz-guesser.ts, written before
 * the generator was changed against it). Chance is 25 %; well above it, the
 * blank can be filled without reading. Also: how often a server's 100 quizzes
 * in a row repeat a sentence, and how far apart which-paragraph options lie.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadApp } from '../src/app.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { BLANK, chooseQuestion, drawQuiz, quizBankOf, type ClozeQuestion } from '../src/study/quiz.ts';
import { seededRandom, seedOf } from '../src/study/random.ts';
import { guesserChance } from './quiz-guesser.ts';
import { meaningReaderChance } from './quiz-meaning-reader.ts';
import { sharedWordVectors } from '../src/language/word-vectors.ts';
import { table } from './table.ts';

const { values } = parseArgs({ options: { draws: { type: 'string', default: '20' } } });
const DRAWS = Number(values.draws);

const { library } = (await loadApp(join(import.meta.dirname, '..', 'corpus'), { store: new MemoryStore() })).context;
const article = library.mainArticle;
const paragraphs = bodyParagraphs(article).length;
const bank = await quizBankOf(library.guide(article));

// ---- grammar-only guesser, per kind of blank ----------------------------------------
const vectors = sharedWordVectors();
const byKind = new Map<string, { questions: number; chance: number; meaning: number }>();
for (const [index, question] of bank.cloze.entries()) {
  const kind = (question as ClozeQuestion).answer.kind;
  const tally = byKind.get(kind) ?? { questions: 0, chance: 0, meaning: 0 };
  for (let draw = 0; draw < DRAWS; draw += 1) {
    const quiz = drawQuiz(question, paragraphs, seededRandom(seedOf('guess', index, draw)));
    tally.chance += guesserChance(quiz.prompt, BLANK, quiz.options, quiz.answer) / DRAWS;
    if (vectors) tally.meaning += meaningReaderChance(quiz.prompt, BLANK, quiz.options, quiz.answer, vectors) / DRAWS;
  }
  tally.questions += 1;
  byKind.set(kind, tally);
}
const all = [...byKind.values()].reduce((sum, kind) => ({ questions: sum.questions + kind.questions, chance: sum.chance + kind.chance, meaning: sum.meaning + kind.meaning }), {
  questions: 0,
  chance: 0,
  meaning: 0,
});
const share = (part: number, whole: number) => ((100 * part) / whole).toFixed(1);
console.log(`\nFill in the blank: ${bank.cloze.length} questions, each drawn ${DRAWS} times; the share a reader who has not read the text gets right (chance 25 %)\n`);
console.log(
  table(
    ['blank', 'questions', 'grammar-only right %', 'meaning-only right %'],
    [...[...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)), ['all', all] as const].map(([kind, tally]) => [
      kind,
      String(tally.questions),
      share(tally.chance, tally.questions),
      vectors ? share(tally.meaning, tally.questions) : 'no word vectors',
    ]),
  ),
);

// ---- repeats in a server's quizzes in a row ---------------------------------------------
const sentencesInBank = new Set([...bank.cloze, ...bank.whichParagraph].map((question) => question.sentence)).size;
for (const draws of [25, 100]) {
  const asked: string[] = [];
  let repeats = 0;
  let nearRepeats = 0;
  for (let draw = 0; draw < draws; draw += 1) {
    // As /quiz start draws: a minute apart, one member, one channel; the server's latest 25 sentences are avoided.
    const random = seededRandom(seedOf(Date.UTC(2026, 11, 6, 9, draw), 'member', 'channel'));
    const question = chooseQuestion(bank, {}, random, new Set(asked.slice(-25)));
    if (!question) break;
    if (asked.includes(question.sentence)) repeats += 1;
    if (asked.slice(-10).includes(question.sentence)) nearRepeats += 1;
    asked.push(question.sentence);
  }
  console.log(`\nRepeats in ${draws} quizzes in a row in one server: ${repeats} repeat a sentence asked before (at least ${Math.max(0, draws - sentencesInBank)} must, of ${sentencesInBank} sentences); ${nearRepeats} within 10 quizzes of the last time.`);
}

// ---- which paragraph: where the options lie ------------------------------------------
let consecutive = 0;
let spread = 0;
const answerAt = [0, 0, 0, 0];
let drawn = 0;
for (const [index, question] of bank.whichParagraph.entries()) {
  for (let draw = 0; draw < DRAWS; draw += 1) {
    const quiz = drawQuiz(question, paragraphs, seededRandom(seedOf('which', index, draw)));
    const numbers = quiz.options.map((option) => Number(option.replace('¶', '')));
    const sorted = [...numbers].sort((a, b) => a - b);
    if (sorted.every((number, at) => at === 0 || number === (sorted[at - 1] as number) + 1)) consecutive += 1;
    spread += (sorted.at(-1) as number) - (sorted[0] as number);
    const position = sorted.indexOf(numbers[quiz.answer] as number);
    answerAt[position] = (answerAt[position] ?? 0) + 1;
    drawn += 1;
  }
}
console.log(`\nWhich paragraph: ${bank.whichParagraph.length} sentences × ${DRAWS} draws, ¶1–¶${paragraphs}\n`);
console.log(
  table(
    ['measure', 'value'],
    [
      ['options four consecutive ¶s', `${((100 * consecutive) / drawn).toFixed(1)} %`],
      ['mean spread (highest − lowest ¶)', (spread / drawn).toFixed(1)],
      ['answer is the lowest / 2nd / 3rd / highest ¶', answerAt.map((count) => `${((100 * count) / drawn).toFixed(0)} %`).join(' / ')],
    ],
  ),
);
