import { StaleComponentError } from '../src/commands/components.ts';
import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { cannotSave, counted, placeOf } from '../src/commands/wording.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply, type AnswerSentence, type Reply, type ReplyAction } from '../src/reply/reply.ts';
import { ankiFile } from '../src/review/anki.ts';
import { hasParagraph, noteFace, ownedCard, paragraphFaces, quizFace, sentenceFace, sentenceKey, type CardFace } from '../src/review/cards.ts';
import { remindersChanged, reminderTimeZone, setReminder, stopReminder } from '../src/review/reminders.ts';
import { GRADES, gradeCard, previewGrades, type GradeName } from '../src/review/schedule.ts';
import { reviewStats, STREAK_DAYS } from '../src/review/stats.ts';
import { inHowLong } from '../src/review/wording.ts';
import { scopeFor, type Quiz, type ReviewCard } from '../src/store/types.ts';
import { bodySentences } from '../src/study/outline.ts';
import type { QuizBank } from '../src/study/quiz.ts';
import type { Article } from '../src/corpus/types.ts';
import { articleOption, contextFor } from '../src/texts/run.ts';
import { zoneChoices } from '../src/schedule/timing.ts';
import { warnAtMostEveryMinute } from '../src/log.ts';

/** A deck holds at most this many cards: years of daily review, and a bound on what one member can store. */
export const MAX_DECK_CARDS = 5_000;
/** Notes turned into cards by one /review add notes:true. */
const NOTES_PER_ADD = 200;
const EXPORT_PAGE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;

interface ReviewShowAction extends ReplyAction {
  kind: 'review-show';
  card: number;
}

interface ReviewGradeAction extends ReplyAction {
  kind: 'review-grade';
  card: number;
  grade: GradeName;
  /** The card's reps when it was shown: a second grade of the same showing is refused. */
  reps: number;
  /** "Good · 10 min": travels in the reply only. */
  label?: string;
}

interface ReviewNextAction extends ReplyAction {
  kind: 'review-next';
}

/** "Remember" under an answer: the cited sentence as a card. */
export interface RememberSentenceAction extends ReplyAction {
  kind: 'remember-sentence';
  article: string;
  paragraph: number;
  /** sentenceKey of the sentence, so a text changed since is noticed. */
  sentence: string;
}

/** "Remember ¶N" under a passage: the paragraph's key sentences as cards. */
export interface RememberParagraphAction extends ReplyAction {
  kind: 'remember-paragraph';
  article: string;
  paragraph: number;
}

const GRADE_LABELS: Record<GradeName, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

function citeOf(card: Pick<ReviewCard, 'article' | 'paragraph' | 'sentence'>): AnswerSentence {
  return { text: card.sentence, cite: { article: card.article, paragraph: card.paragraph, label: `¶${card.paragraph}`, role: 'body' } };
}

function footerFor(slug: string, { library }: CommandContext): string {
  return footerOf(library.article(slug) ?? library.mainArticle);
}

/** Told once after Footnote stopped the person's reminder (their DMs were closed). */
async function reminderNotice(invoker: Invoker, { store }: CommandContext): Promise<string[]> {
  const reminder = await store.reviews.getReminder(invoker.userId).catch(() => undefined);
  if (reminder?.status !== 'stopped' || reminder.stoppedReason === undefined) return [];
  await store.reviews.clearStoppedReason(invoker.userId).catch(() => undefined);
  return ['', `Your daily reminder is off: ${reminder.stoppedReason}. /review remind at:HH:MM starts it again.`];
}

/** The front of a card, with "Show answer". */
async function cardFront(card: ReviewCard, due: number, invoker: Invoker, given: CommandContext): Promise<Reply> {
  const context = await contextFor(given, invoker, card.article);
  const more = due > 1 ? `${counted(due - 1, 'more card')} due after this one.` : 'The last card due now.';
  return textReply('info', `Review: ¶${card.paragraph}`, [card.front, '', `Think of the answer, then press Show answer. ${more}`, ...(await reminderNotice(invoker, given))], {
    private: true,
    footer: footerFor(card.article, context),
    actions: [{ kind: 'review-show', card: card.id } satisfies ReviewShowAction],
  });
}

async function nothingDue(invoker: Invoker, { store, clock }: CommandContext, title = 'Nothing to review'): Promise<Reply> {
  const summary = await store.reviews.deckSummary(scopeFor(invoker), invoker.userId, clock.now());
  const lines =
    summary.cards === 0
      ? [
          `Your review deck ${placeOf(invoker)} is empty.`,
          'Cards come from quiz questions you answer wrong, the Remember button under answers and passages, /review add paragraph:N, and /review add notes:true.',
        ]
      : [`No card is due now: ${counted(summary.cards, 'card')} in your deck ${placeOf(invoker)}.`, summary.nextDueAt === undefined ? '' : `The next one is due ${inHowLong(summary.nextDueAt - clock.now())}.`];
  return textReply('info', title, lines.filter((line) => line !== ''), { private: true });
}

async function nextCard(invoker: Invoker, context: CommandContext): Promise<Reply> {
  const { store, clock } = context;
  const scope = scopeFor(invoker);
  const now = clock.now();
  const card = await store.reviews.nextDue(scope, invoker.userId, now);
  if (!card) return nothingDue(invoker, context);
  const { due } = await store.reviews.deckSummary(scope, invoker.userId, now);
  return cardFront(card, due, invoker, context);
}

async function showAnswer({ card: id }: ReviewShowAction, invoker: Invoker, given: CommandContext): Promise<Reply> {
  const { store, clock } = given;
  const card = await store.reviews.get(scopeFor(invoker), invoker.userId, id);
  if (!card) throw new StaleComponentError();
  const context = await contextFor(given, invoker, card.article);
  const now = clock.now();
  const preview = previewGrades(card.schedule, now);
  const actions = GRADES.map(
    (grade) => ({ kind: 'review-grade', card: card.id, grade, reps: card.reps, label: `${GRADE_LABELS[grade]} · ${inHowLong(preview[grade] - now, true)}` }) satisfies ReviewGradeAction,
  );
  return {
    ...textReply('answer', `Review: ¶${card.paragraph}`, [card.front, '', `Answer: ${card.back}`, '', 'How well did you remember it?'], { private: true, footer: footerFor(card.article, context), actions }),
    answer: [citeOf(card)],
  };
}

async function gradeShown({ card: id, grade, reps }: ReviewGradeAction, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const { store, clock } = context;
  const scope = scopeFor(invoker);
  const card = await store.reviews.get(scope, invoker.userId, id);
  if (!card) throw new StaleComponentError();
  const now = clock.now();
  let graded: ReviewCard | undefined;
  if (card.reps === reps) {
    const scheduled = gradeCard(card.schedule, grade, now);
    try {
      graded = await store.reviews.grade(scope, invoker.userId, id, { expectedReps: reps, ...scheduled, now });
    } catch (error) {
      return cannotSave(error, 'record your grade');
    }
  }
  const summary = await store.reviews.deckSummary(scope, invoker.userId, now);
  const next: ReviewNextAction[] = summary.due > 0 ? [{ kind: 'review-next' }] : [];
  const after = summary.due > 0 ? `${counted(summary.due, 'card')} due now.` : summary.nextDueAt === undefined ? '' : `Nothing else is due now; the next card is due ${inHowLong(summary.nextDueAt - now)}.`;
  if (!graded) {
    const current = (await store.reviews.get(scope, invoker.userId, id)) ?? card;
    return textReply('info', 'Already graded', [`This card was graded already; it comes back ${inHowLong(current.dueAt - now)}.`, after].filter((line) => line !== ''), { private: true, actions: next });
  }
  return textReply('info', `${GRADE_LABELS[grade]}: ¶${card.paragraph} comes back ${inHowLong(graded.dueAt - now)}`, [after].filter((line) => line !== ''), { private: true, actions: next });
}

/** Adds cards to the asker's deck here and says what happened. */
async function addFaces(faces: readonly CardFace[], invoker: Invoker, { store, clock }: CommandContext, what: string): Promise<Reply> {
  const now = clock.now();
  const owner = { scope: scopeFor(invoker), userId: invoker.userId };
  let result: Awaited<ReturnType<typeof store.reviews.add>>;
  try {
    result = await store.reviews.add(
      faces.map((face) => ownedCard(face, owner, now)),
      MAX_DECK_CARDS,
      now,
    );
  } catch (error) {
    return cannotSave(error, 'add to your review deck');
  }
  const { added, already, full } = result;
  const lines: string[] = [];
  if (added.length > 0) lines.push(`Added ${counted(added.length, 'card')} from ${what} to your review deck ${placeOf(invoker)}: due now. /review next shows ${added.length === 1 ? 'it' : 'them'}.`);
  if (added.length === 1 && added[0]) lines.push('', added[0].front);
  if (already > 0) lines.push(`${already === faces.length ? 'Already' : `${already} more were already`} in your deck: each card is added once.`);
  if (full) lines.push(`Your deck ${placeOf(invoker)} is full (${MAX_DECK_CARDS.toLocaleString('en')} cards): /review export saves it, /review forget-me empties it.`);
  return textReply('info', added.length > 0 ? 'Added to your review deck' : 'Nothing new to add', lines, { private: true });
}

/** The text's quiz bank, whose blanks make the cards' fronts; loaded on first use (the NLP library under it is slow to load). */
async function bankFor(context: CommandContext, text: Article): Promise<QuizBank | undefined> {
  const { quizBankOf } = await import('../src/study/quiz.ts');
  return quizBankOf(context.library.guide(text)).catch(() => undefined);
}

async function rememberSentence({ article, paragraph, sentence: key }: RememberSentenceAction, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const text = context.library.article(article);
  const sentence = text && bodySentences(text).find((located) => located.paragraph.number === paragraph && sentenceKey(located.sentence) === key)?.sentence;
  if (!text || sentence === undefined) throw new StaleComponentError();
  const bank = await bankFor(context, text);
  return addFaces([sentenceFace(text, paragraph, sentence, bank)], invoker, context, `¶${paragraph}`);
}

async function rememberParagraph(article: string, paragraph: number, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const text = context.library.article(article);
  if (!text || !hasParagraph(text, paragraph)) {
    const count = text ? bodySentences(text).at(-1)?.paragraph.number : undefined;
    return textReply('error', 'No such paragraph', [count === undefined ? 'That text is not here any more.' : `Paragraphs are numbered ¶1 to ¶${count}; ¶${paragraph} is not one of them.`], { private: true });
  }
  const bank = await bankFor(context, text);
  return addFaces(paragraphFaces(text, paragraph, bank), invoker, context, `¶${paragraph}`);
}

async function addFromNotes(invoker: Invoker, context: CommandContext): Promise<Reply> {
  const { store, library } = context;
  const { notes } = await store.notes.list({ scope: scopeFor(invoker), viewerId: invoker.userId, authorId: invoker.userId, limit: NOTES_PER_ADD });
  const faces = notes.flatMap((note) => {
    const article = library.article(note.article);
    const face = article && noteFace(note, article);
    return face ? [face] : [];
  });
  if (faces.length === 0) return textReply('info', 'No notes to add', [`You have no notes ${placeOf(invoker)} on a text Footnote still has. /note add paragraph:N writes one.`], { private: true });
  return addFaces(faces, invoker, context, 'your notes');
}

async function add(options: Record<string, unknown>, invoker: Invoker, context: CommandContext): Promise<Reply> {
  if (options.notes === true) return addFromNotes(invoker, context);
  if (typeof options.paragraph === 'number') return rememberParagraph(context.library.mainArticle.slug, options.paragraph, invoker, context);
  return textReply('error', 'What should be added?', ['Use /review add paragraph:N for a paragraph’s key sentences, or /review add notes:true for your own notes. The Remember button under an answer adds its sentence.'], {
    private: true,
  });
}

async function stats(invoker: Invoker, { store, clock }: CommandContext): Promise<Reply> {
  const scope = scopeFor(invoker);
  const now = clock.now();
  const [summary, reminder, log] = await Promise.all([
    store.reviews.deckSummary(scope, invoker.userId, now),
    store.reviews.getReminder(invoker.userId),
    store.reviews.log(scope, invoker.userId, now - STREAK_DAYS * DAY_MS),
  ]);
  const timeZone = reminder?.timeZone ?? 'UTC';
  const figures = reviewStats(log, now, timeZone);
  const retention = figures.retention
    ? `${Math.round((100 * figures.retention.remembered) / figures.retention.reviewed)} % (${figures.retention.remembered} of ${figures.retention.reviewed} reviews of learned cards remembered)`
    : 'not measured yet (it counts cards reviewed after they were learned)';
  const streak = figures.streak >= STREAK_DAYS ? `${STREAK_DAYS}+ days` : counted(figures.streak, 'day');
  const reminderLine =
    reminder === undefined
      ? 'Daily reminder: off (/review remind at:HH:MM timezone:Area/City).'
      : reminder.status === 'active'
        ? `Daily reminder: ${reminder.at} (${reminder.timeZone}) when cards are due.`
        : `Daily reminder: stopped${reminder.stoppedReason === undefined ? '' : ` (${reminder.stoppedReason})`}.`;
  return textReply(
    'info',
    'Your review deck',
    [
      `Cards: ${summary.cards} ${placeOf(invoker)}; due now: ${summary.due}.`,
      `Reviewed today: ${figures.reviewedToday}. Streak: ${streak}.`,
      `Retention over 30 days: ${retention}.`,
      reminderLine,
      ...(timeZone === 'UTC' ? ['Days are counted in UTC; a reminder’s time zone is used once you set one.'] : []),
    ],
    { private: true },
  );
}

async function exportDeck(invoker: Invoker, { store, library }: CommandContext): Promise<Reply> {
  const scope = scopeFor(invoker);
  const cards: ReviewCard[] = [];
  for (let offset = 0; offset < MAX_DECK_CARDS; offset += EXPORT_PAGE) {
    const page = await store.reviews.cards(scope, invoker.userId, EXPORT_PAGE, offset);
    cards.push(...page);
    if (page.length < EXPORT_PAGE) break;
  }
  if (cards.length === 0) return textReply('info', 'Nothing to export', [`Your review deck ${placeOf(invoker)} is empty.`], { private: true });
  const content = ankiFile(cards, (slug) => library.article(slug)?.title ?? slug);
  return textReply('info', 'Review deck exported', [`${counted(cards.length, 'card')} as a tab-separated file for Anki (File → Import): front, back, and tags with the text and ¶.`], {
    private: true,
    files: [{ name: 'footnote-review.txt', content }],
  });
}

async function forgetMe(invoker: Invoker, { store }: CommandContext): Promise<Reply> {
  let cards: number;
  let reminder: boolean;
  try {
    cards = await store.reviews.forget(scopeFor(invoker), invoker.userId);
    reminder = await store.reviews.removeReminder(invoker.userId);
  } catch (error) {
    return cannotSave(error, 'delete your review deck');
  }
  if (reminder) remindersChanged();
  const lines = [cards === 0 ? `You have no review cards ${placeOf(invoker)}.` : `Deleted your ${counted(cards, 'review card')} ${placeOf(invoker)} and their review history.`];
  if (reminder) lines.push('Your daily reminder is off and forgotten too.');
  return textReply('info', 'Review deck deleted', lines, { private: true });
}

async function remind(options: Record<string, unknown>, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const at = typeof options.at === 'string' ? options.at.trim() : '';
  if (at.toLowerCase() === 'off') return stopReminder(invoker, context);
  const zoneOption = typeof options.timezone === 'string' ? options.timezone : undefined;
  const timeZone = await reminderTimeZone(zoneOption, invoker, context);
  if ('error' in timeZone) return textReply('error', 'Unknown time zone', [timeZone.error], { private: true });
  return setReminder(at, timeZone.zone, zoneOption !== undefined, invoker, context);
}

/** Cards for a quiz answered wrong: added behind the answer, so the verdict never waits for it or fails with it. */
export function rememberMissedQuiz(quiz: Quiz, invoker: Invoker, { store, clock, logger }: CommandContext): void {
  const now = clock.now();
  void store.reviews
    .add([ownedCard(quizFace(quiz), { scope: scopeFor(invoker), userId: invoker.userId }, now)], MAX_DECK_CARDS, now)
    .catch((error: unknown) => warnAtMostEveryMinute(logger, error, 'could not add a missed quiz to a review deck'));
}

const reviewShow: Component<ReviewShowAction> = {
  kind: 'review-show',
  key: 'rs',
  version: 1,
  type: 'button',
  quick: true,
  style: 'primary',
  answer: 'update',
  encode: ({ card }) => String(card),
  decode: (text) => (/^\d{1,15}$/.test(text) ? { kind: 'review-show', card: Number(text) } : undefined),
  label: () => 'Show answer',
  shortcut: { word: 'show', unavailable: 'There is no card to show: /review next shows the next one due.' },
  handle: (action, { invoker }, context) => showAnswer(action, invoker, context),
};

const reviewGrade: Component<ReviewGradeAction> = {
  kind: 'review-grade',
  key: 'rg',
  version: 1,
  type: 'button',
  quick: true,
  style: 'secondary',
  answer: 'update',
  encode: ({ card, grade, reps }) => `${card}.${GRADES.indexOf(grade)}.${reps}`,
  decode: (text) => {
    const match = /^(\d{1,15})\.([0-3])\.(\d{1,9})$/.exec(text);
    const grade = GRADES[Number(match?.[2])];
    return match && grade ? { kind: 'review-grade', card: Number(match[1]), grade, reps: Number(match[3]) } : undefined;
  },
  label: ({ grade, label }) => label ?? GRADE_LABELS[grade],
  handle: (action, { invoker }, context) => gradeShown(action, invoker, context),
};

const reviewNext: Component<ReviewNextAction> = {
  kind: 'review-next',
  key: 'rn',
  version: 1,
  type: 'button',
  quick: true,
  style: 'primary',
  answer: 'update',
  encode: () => '',
  decode: (text) => (text === '' ? { kind: 'review-next' } : undefined),
  label: () => 'Next card',
  typed: () => '/review next',
  handle: (_action, { invoker }, context) => nextCard(invoker, context),
};

const rememberSentenceButton: Component<RememberSentenceAction> = {
  kind: 'remember-sentence',
  key: 'rm',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ article, paragraph, sentence }) => (ARTICLE.test(article) && /^[0-9a-f]{10}$/.test(sentence) ? `${paragraph}.${sentence}:${article}` : undefined),
  decode: (text) => {
    const match = /^(\d{1,4})\.([0-9a-f]{10}):([a-z0-9][a-z0-9-]{0,89})$/.exec(text);
    return match ? { kind: 'remember-sentence', paragraph: Number(match[1]), sentence: match[2] as string, article: match[3] as string } : undefined;
  },
  label: () => 'Review later',
  shortcut: { word: 'remember', unavailable: 'The last reply has no sentence to remember: ask a question first.' },
  handle: (action, { invoker }, context) => rememberSentence(action, invoker, context),
};

const rememberParagraphButton: Component<RememberParagraphAction> = {
  kind: 'remember-paragraph',
  key: 'rp',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ article, paragraph }) => (ARTICLE.test(article) ? `${paragraph}:${article}` : undefined),
  decode: (text) => {
    const match = /^(\d{1,4}):([a-z0-9][a-z0-9-]{0,89})$/.exec(text);
    return match ? { kind: 'remember-paragraph', paragraph: Number(match[1]), article: match[2] as string } : undefined;
  },
  label: ({ paragraph }) => `Review ¶${paragraph} later`,
  typed: ({ paragraph, article }, { library }) => `/review add paragraph:${paragraph}${article === library.mainArticle.slug ? '' : ` article:${article}`}`,
  handle: ({ article, paragraph }, { invoker }, context) => rememberParagraph(article, paragraph, invoker, context),
};

const review: Command = {
  definition: {
    name: 'review',
    description: 'Spaced review of what you met: cards from missed quizzes, remembered sentences and your notes',
    options: [
      { type: OptionType.Subcommand, name: 'next', description: 'Show your next card due, privately' },
      {
        type: OptionType.Subcommand,
        name: 'add',
        description: 'Add cards: a paragraph’s key sentences, or your own notes',
        options: [
          { type: OptionType.Integer, name: 'paragraph', description: 'The paragraph, as in ¶5', min_value: 1, max_value: 999 },
          { type: OptionType.Boolean, name: 'notes', description: 'Add a card for each of your notes here' },
          articleOption,
        ],
      },
      { type: OptionType.Subcommand, name: 'stats', description: 'Cards due, reviewed today, your streak and retention' },
      {
        type: OptionType.Subcommand,
        name: 'remind',
        description: 'A direct message once a day when cards are due (at:off stops it)',
        options: [
          { type: OptionType.String, name: 'at', description: 'Local time as HH:MM, or off', required: true, max_length: 8 },
          { type: OptionType.String, name: 'timezone', description: 'Time zone such as Europe/Berlin (your last one, or UTC, if not given)', max_length: 64, autocomplete: true },
        ],
      },
      { type: OptionType.Subcommand, name: 'export', description: 'Your deck as a file Anki imports, sent to you only' },
      { type: OptionType.Subcommand, name: 'forget-me', description: 'Delete your review deck here and your reminder' },
    ],
  },
  private: true,
  handle: async ({ subcommand, options, invoker }, context) => {
    switch (subcommand) {
      case 'next':
        return nextCard(invoker, context);
      case 'add':
        return add(options, invoker, context);
      case 'stats':
        return stats(invoker, context);
      case 'remind':
        return remind(options, invoker, context);
      case 'export':
        return exportDeck(invoker, context);
      case 'forget-me':
        return forgetMe(invoker, context);
      default:
        return textReply('error', 'Which review command?', ['Use /review next, /review add, /review stats, /review remind, /review export or /review forget-me.'], { private: true });
    }
  },
  autocomplete: (optionName, partial) => (optionName === 'timezone' ? zoneChoices(partial) : []),
  components: [reviewShow, reviewGrade, reviewNext, rememberSentenceButton, rememberParagraphButton],
};

export default review;
