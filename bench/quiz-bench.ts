/**
 * Quiz cost: building the article's quiz bank (every question and every wrong
 * option it allows), and handling one click on an option, as the bot does
 * (the component's handler: read the quiz, record the answer and the score
 * in one transaction, compose the updated question and the private verdict),
 * against a temporary SQLite store already holding many quizzes and answers.
 *
 * Run alone with `npx tsx bench/quiz-bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median, percentile, round } from '../eval/stats.ts';
import { loadApp } from '../src/app.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { loadCorpus } from '../src/corpus/load.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import type { ReplyAction } from '../src/reply/reply.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { Scope } from '../src/store/types.ts';
import { peopleOf } from '../src/study/people.ts';
import { buildQuizBank, chooseQuestion, drawQuiz } from '../src/study/quiz.ts';
import { seededRandom } from '../src/study/random.ts';
import { timelineOf } from '../src/study/timeline.ts';

const ROOT = path.join(import.meta.dirname, '..');
const CORPUS_DIR = path.join(ROOT, 'corpus');

/** A big server: this many quizzes and members, each member having answered this many quizzes before the timing. */
const QUIZZES = 1_000;
const MEMBERS = 500;
const ANSWERS_PER_MEMBER = 100;
const WARM_UP_CLICKS = 200;
const TIMED_CLICKS = 2_000;
/** A share of the timed clicks repeat an earlier answer (answered privately, nothing written). */
const REPEAT_SHARE = 0.1;
const BANK_RUNS = 10;
const GUILD = 'bench-guild';
const SCOPE: Scope = `guild:${GUILD}`;

export interface QuizFigures {
  /** First build in a fresh process: people, timeline and bank, the NLP libraries' first use included. */
  bankColdMs: number;
  /** The same once warm (median). */
  bankWarmMs: number;
  /** The bank alone, people and timeline given (median). */
  bankOnlyMs: number;
  clozeQuestions: number;
  whichParagraphQuestions: number;
  clickP50Ms: number;
  clickP99Ms: number;
  clickMaxMs: number;
  /** /quiz scores in the big server: top 10 and the asker's rank. */
  scoresP99Ms: number;
  quizzes: number;
  answersBefore: number;
}

function member(index: number): Invoker {
  return { userId: `member-${index}`, displayName: `Member ${index}`, guildId: GUILD, channelId: 'bench-channel', inThread: false, permissions: NO_PERMISSIONS };
}

async function benchBank(): Promise<Pick<QuizFigures, 'bankColdMs' | 'bankWarmMs' | 'bankOnlyMs' | 'clozeQuestions' | 'whichParagraphQuestions'>> {
  const [article] = await loadCorpus(CORPUS_DIR);
  if (!article) throw new Error('no article in the corpus');
  const full = () => buildQuizBank(article, { people: peopleOf(article), timeline: timelineOf(article) });
  let started = performance.now();
  const bank = full();
  const bankColdMs = performance.now() - started;
  const warm: number[] = [];
  const only: number[] = [];
  const sources = { people: peopleOf(article), timeline: timelineOf(article) };
  for (let run = 0; run < BANK_RUNS; run += 1) {
    started = performance.now();
    full();
    warm.push(performance.now() - started);
    started = performance.now();
    buildQuizBank(article, sources);
    only.push(performance.now() - started);
  }
  return {
    bankColdMs: round(bankColdMs, 1),
    bankWarmMs: round(median(warm), 1),
    bankOnlyMs: round(median(only), 1),
    clozeQuestions: bank.cloze.length,
    whichParagraphQuestions: bank.whichParagraph.length,
  };
}

export async function benchQuiz(): Promise<QuizFigures> {
  const bankFigures = await benchBank();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footnote-quiz-bench-'));
  const store = new SqliteStore(dir);
  try {
    let now = Date.UTC(2026, 0, 1);
    const app = await loadApp(CORPUS_DIR, { store, clock: { now: () => now } });
    const article = app.context.library.mainArticle;
    const bank = buildQuizBank(article, { people: peopleOf(article), timeline: timelineOf(article) });
    const random = seededRandom(2026);
    const paragraphs = bodyParagraphs(article).length;

    const quizIds: number[] = [];
    for (let index = 0; index < QUIZZES; index += 1) {
      const question = chooseQuestion(bank, {}, random);
      if (!question) throw new Error('the article yields no quiz');
      const quiz = await store.quizzes.create({ scope: SCOPE, article: article.slug, ...drawQuiz(question, paragraphs, random), startedBy: 'member-0' }, (now += 1));
      quizIds.push(quiz.id);
    }
    // Each member has answered some quizzes already: the scores table and the answers are those of a busy server.
    const answered = new Set<string>();
    for (let index = 0; index < MEMBERS; index += 1) {
      const who = member(index);
      for (let count = 0; count < ANSWERS_PER_MEMBER; count += 1) {
        const quizId = quizIds[Math.floor(random() * quizIds.length)] as number;
        answered.add(`${quizId}:${index}`);
        await store.quizzes.answer(SCOPE, quizId, who, Math.floor(random() * 4), (now += 1));
      }
    }

    const component = app.components.forAction({ kind: 'quiz-answer' });
    if (!component) throw new Error('no quiz-answer component');
    const clicks: { action: ReplyAction; invoker: Invoker }[] = [];
    const earlier = [...answered];
    while (clicks.length < WARM_UP_CLICKS + TIMED_CLICKS) {
      const repeat = random() < REPEAT_SHARE;
      const [quiz, who] = repeat ? (earlier[Math.floor(random() * earlier.length)] as string).split(':').map(Number) : [quizIds[Math.floor(random() * quizIds.length)], Math.floor(random() * MEMBERS)];
      const key = `${quiz}:${who}`;
      if (!repeat && answered.has(key)) continue;
      answered.add(key);
      clicks.push({ action: { kind: 'quiz-answer', quiz, choice: Math.floor(random() * 4) }, invoker: member(who as number) });
    }
    const times: number[] = [];
    for (const [index, { action, invoker }] of clicks.entries()) {
      now += 1;
      const started = performance.now();
      await component.handle(action, { invoker }, app.context);
      if (index >= WARM_UP_CLICKS) times.push(performance.now() - started);
    }

    const quizCommand = app.commands.find((command) => command.definition.name === 'quiz');
    if (!quizCommand) throw new Error('no /quiz command');
    const scoreTimes: number[] = [];
    for (let index = 0; index < 500; index += 1) {
      const started = performance.now();
      await quizCommand.handle({ subcommand: 'scores', options: {}, invoker: member(index) }, app.context);
      scoreTimes.push(performance.now() - started);
    }
    return {
      ...bankFigures,
      clickP50Ms: round(percentile(times, 50), 3),
      clickP99Ms: round(percentile(times, 99), 3),
      clickMaxMs: round(Math.max(...times), 3),
      scoresP99Ms: round(percentile(scoreTimes.slice(50), 99), 3),
      quizzes: QUIZZES,
      answersBefore: MEMBERS * ANSWERS_PER_MEMBER,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as the table this bench prints. */
export function formatQuizFigures(figures: QuizFigures): string {
  return ['| figure | value |', '|---|---:|', ...Object.entries(figures).map(([name, value]) => `| ${name} | ${value} |`)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchQuiz();
  console.log(`Quiz bench: the corpus's first article; SQLite with ${figures.quizzes.toLocaleString('en')} quizzes and ${figures.answersBefore.toLocaleString('en')} answers in one server\n`);
  console.log(formatQuizFigures(figures));
}
