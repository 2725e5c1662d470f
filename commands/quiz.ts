import { StaleComponentError } from '../src/commands/components.ts';
import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply, type AnswerSentence, type Reply, type ReplyAction } from '../src/reply/reply.ts';
import { scopeFor, type Quiz, type QuizAnswerOutcome, type QuizScore, type QuizTally } from '../src/store/types.ts';
import { cannotSave, placeOf } from '../src/commands/wording.ts';
import { QUIZ_KINDS, type QuizKind } from '../src/study/quiz-kinds.ts';
import { seededRandom, seedOf } from '../src/study/random.ts';
import { articleOption, contextFor } from '../src/texts/run.ts';
import { rememberMissedQuiz } from './review.ts';

/** How many members /quiz scores lists. */
export const LEADERBOARD_SIZE = 10;
/** A new quiz avoids the sentences of this many of the place's latest. */
const RECENT_QUIZZES = 25;

const KIND_NAMES: Record<QuizKind, string> = { cloze: 'fill in the blank', 'which-paragraph': 'which paragraph' };

/** An option button: its state is the quiz and the option; the label travels only in the reply. */
interface QuizAnswerAction extends ReplyAction {
  kind: 'quiz-answer';
  quiz: number;
  choice: number;
  label?: string;
}

interface QuizRevealAction extends ReplyAction {
  kind: 'quiz-reveal';
  quiz: number;
}


function footerFor(quiz: Quiz, { library }: CommandContext): string {
  return footerOf(library.article(quiz.article) ?? library.mainArticle);
}

/** The quiz's sentence with its ¶, as every answer quotes it. */
function sentenceOf(quiz: Quiz): AnswerSentence {
  return { text: quiz.sentence, cite: { article: quiz.article, paragraph: quiz.paragraph, label: `¶${quiz.paragraph}`, role: 'body' } };
}

/** The option as a reader sees it: a ¶ as is, words in quotes. */
function optionText(quiz: Quiz, choice: number): string {
  const text = quiz.options[choice] ?? '';
  return quiz.kind === 'which-paragraph' ? text : `“${text}”`;
}

function tallyLine({ answered, correct }: QuizTally): string {
  return answered === 0 ? 'No answers yet.' : `${answered} answered · ${correct} right`;
}

/**
 * The question as posted: the sentence (with its blank), the options as
 * buttons, and the tally. A which-paragraph question cannot cite its ¶ (that
 * is the answer): it names the range instead, and every answer cites it.
 */
function questionReply(quiz: Quiz, tally: QuizTally, context: CommandContext): Reply {
  const paragraphs = bodyParagraphs(context.library.article(quiz.article) ?? context.library.mainArticle).length;
  const lines =
    quiz.kind === 'cloze'
      ? [`“${quiz.prompt}” (¶${quiz.paragraph})`, '', 'What fills the blank?']
      : [`“${quiz.prompt}”`, '', `Which paragraph (¶1–¶${paragraphs}) is this sentence from?`];
  const answers: QuizAnswerAction[] = quiz.options.map((label, choice) => ({ kind: 'quiz-answer', quiz: quiz.id, choice, label }));
  return textReply(
    'info',
    `Quiz #${quiz.id}: ${KIND_NAMES[quiz.kind]}`,
    [...lines, 'Your first answer counts; only you see whether it was right.', '', tallyLine(tally), 'Whoever started the quiz can reveal the answer.'],
    { actions: [...answers, { kind: 'quiz-reveal', quiz: quiz.id } satisfies QuizRevealAction], footer: footerFor(quiz, context) },
  );
}

/** The question with its answer, for everyone: no more buttons. */
function revealedReply(quiz: Quiz, tally: QuizTally, context: CommandContext): Reply {
  const shown = quiz.kind === 'cloze' ? `“${quiz.prompt}” (¶${quiz.paragraph})` : `“${quiz.prompt}”`;
  return {
    ...textReply('answer', `Quiz #${quiz.id}: the answer`, [shown, '', `The answer: ${optionText(quiz, quiz.answer)}.`, tallyLine(tally)], { footer: footerFor(quiz, context) }),
    answer: [sentenceOf(quiz)],
  };
}

/** What only the clicker sees. */
function privately(title: string, lines: string[], quiz: Quiz): Reply {
  return { ...textReply('info', title, lines, { private: true }), answer: [sentenceOf(quiz)] };
}

async function startQuiz(options: Record<string, unknown>, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const { library, store, clock } = context;
  const article = library.mainArticle;
  const paragraphs = bodyParagraphs(article).length;
  const paragraph = typeof options.paragraph === 'number' ? options.paragraph : undefined;
  const kindOption = typeof options.kind === 'string' ? options.kind.trim().toLowerCase() : '';
  if (paragraph !== undefined && (!Number.isInteger(paragraph) || paragraph < 1 || paragraph > paragraphs)) {
    return textReply('error', 'No such paragraph', [`Paragraphs are numbered ¶1 to ¶${paragraphs}; “${String(paragraph)}” is not one of them.`], { private: true });
  }
  const chosenKind = QUIZ_KINDS.find((known) => known === kindOption);
  if (kindOption !== '' && chosenKind === undefined) {
    return textReply('error', 'No such kind of quiz', [`The kinds are ${QUIZ_KINDS.join(' and ')}, not “${kindOption}”. Leave kind out for either.`], { private: true });
  }
  // “Which paragraph is this from?” about a paragraph named in public gives its answer away: a blank is asked instead.
  if (paragraph !== undefined && chosenKind === 'which-paragraph') {
    return textReply('error', 'That would give the answer away', [`A which-paragraph quiz about ¶${paragraph} names its answer. Leave paragraph out, or ask kind:cloze about ¶${paragraph}.`], { private: true });
  }
  const kind: QuizKind | undefined = paragraph === undefined ? chosenKind : 'cloze';
  // The generator and the NLP library under it load on the first quiz, not at start-up (half a second of it).
  const { chooseQuestion, drawQuiz, quizBankOf } = await import('../src/study/quiz.ts');
  const bank = await quizBankOf(library.guide(article));
  // Drawn from the clock and who asks: the same moment gives the same quiz, a test's fixed clock included.
  const random = seededRandom(seedOf(clock.now(), invoker.userId, invoker.channelId));
  // The server's latest quizzes are not asked again while another sentence remains.
  const recent = new Set(await store.quizzes.recentSentences(scopeFor(invoker), RECENT_QUIZZES).catch(() => []));
  const question = chooseQuestion(bank, { ...(paragraph === undefined ? {} : { paragraph }), ...(kind === undefined ? {} : { kind }) }, random, recent);
  if (!question) {
    const which = kind === undefined ? 'quiz' : `${KIND_NAMES[kind]} quiz`;
    const from = paragraph === undefined ? 'this article' : `¶${paragraph}`;
    return textReply('not-found', 'No quiz there', [`No ${which} can be made from ${from} without an ambiguous answer. Try another paragraph, or another kind.`], { private: true });
  }
  const drawn = drawQuiz(question, paragraphs, random);
  let quiz: Quiz;
  try {
    quiz = await store.quizzes.create({ scope: scopeFor(invoker), article: article.slug, ...drawn, startedBy: invoker.userId }, clock.now());
  } catch (error) {
    return cannotSave(error, 'start the quiz');
  }
  return questionReply(quiz, { answered: 0, correct: 0 }, context);
}

async function answerQuiz({ quiz: id, choice }: QuizAnswerAction, invoker: Invoker, given: CommandContext): Promise<Reply> {
  const { store, clock } = given;
  const scope = scopeFor(invoker);
  const quiz = await store.quizzes.get(scope, id);
  if (!quiz || choice >= quiz.options.length) throw new StaleComponentError();
  const context = await contextFor(given, invoker, quiz.article);
  let outcome: QuizAnswerOutcome;
  try {
    outcome = await store.quizzes.answer(scope, id, { userId: invoker.userId, displayName: invoker.displayName }, choice, clock.now());
  } catch (error) {
    return cannotSave(error, 'record your answer');
  }
  if (outcome.status === 'missing') throw new StaleComponentError();
  if (outcome.status === 'revealed') {
    return privately('This quiz is over', [`The answer was revealed: ${optionText(quiz, quiz.answer)}. Start another with /quiz start.`], quiz);
  }
  const { answer } = outcome;
  const chose = optionText(quiz, answer.choice);
  if (outcome.status === 'already') {
    return privately('You already answered', [`Only your first answer counts: you chose ${chose}, which was ${answer.correct ? 'right' : 'wrong'}.`], quiz);
  }
  const verdict = answer.correct
    ? privately('Right!', [`You chose ${chose}.`], quiz)
    : privately('Not quite', [`You chose ${chose}; the answer is ${optionText(quiz, quiz.answer)}.`, 'It is in your review deck now: /review next asks it again.'], quiz);
  if (!answer.correct) rememberMissedQuiz(quiz, invoker, given);
  return { ...questionReply(outcome.quiz, outcome.tally, context), followUp: verdict };
}

async function revealQuiz({ quiz: id }: QuizRevealAction, invoker: Invoker, given: CommandContext): Promise<Reply> {
  const { store } = given;
  const scope = scopeFor(invoker);
  const quiz = await store.quizzes.get(scope, id);
  if (!quiz) throw new StaleComponentError();
  const context = await contextFor(given, invoker, quiz.article);
  if (quiz.startedBy !== invoker.userId) {
    return textReply('info', 'Only the starter can reveal', ['Only the member who started this quiz can reveal the answer. Answer it yourself, or start your own with /quiz start.'], { private: true });
  }
  try {
    await store.quizzes.reveal(scope, id);
  } catch (error) {
    return cannotSave(error, 'reveal the answer');
  }
  return revealedReply({ ...quiz, revealed: true }, await store.quizzes.tally(scope, id), context);
}

/** "3 right of 4": a record, no names. */
function record(score: QuizScore): string {
  return `${score.correct} right of ${score.answered}`;
}

async function scores(invoker: Invoker, { store }: CommandContext, posted = false): Promise<Reply> {
  const scope = scopeFor(invoker);
  const mine = await store.quizzes.standing(scope, invoker.userId);
  if (invoker.guildId === undefined) {
    return textReply('info', 'Your quiz score', ['Quizzes here are yours alone, so there is no leaderboard.', mine ? `You have answered ${record(mine.score)}.` : 'No answers yet: start a quiz with /quiz start.'], {
      private: true,
    });
  }
  const top = await store.quizzes.leaderboard(scope, LEADERBOARD_SIZE);
  if (top.length === 0) return textReply('info', 'Quiz scores', ['Nobody has answered a quiz in this server yet. Start one with /quiz start.'], { private: true });
  // Equal records share a rank: the list is in rank order, so a tie sits next to the one it ties.
  const ranks: number[] = [];
  top.forEach((score, index) => {
    const previous = top[index - 1];
    ranks.push(previous && previous.correct === score.correct && previous.answered === score.answered ? (ranks[index - 1] as number) : index + 1);
  });
  const lines = top.map((score, index) => `${ranks[index]}. ${score.displayName} — ${record(score)}`);
  if (posted) {
    // Names beside scores, for everyone: the organizer's call (Manage Server), as the report's member figures are.
    if (!invoker.permissions.manageGuild) return textReply('error', 'Manage Server needed', ['Only members with the Manage Server permission can post the scores for everyone. /quiz scores shows them to you.'], { private: true });
    return textReply('info', 'Quiz scores in this server', [...lines, '', `Posted by ${invoker.displayName}. Ranked by right answers, then by fewer answers; /quiz forget-me takes yours off.`]);
  }
  const you = mine ? `You: #${mine.rank}, ${record(mine.score)}.` : 'You have not answered a quiz in this server yet.';
  return textReply('info', 'Quiz scores in this server', [...lines, '', you, 'Ranked by right answers, then by fewer answers. /quiz forget-me deletes yours.'], { private: true });
}

async function forgetMe(invoker: Invoker, { store }: CommandContext): Promise<Reply> {
  let forgotten: number;
  try {
    forgotten = await store.quizzes.forget(scopeFor(invoker), invoker.userId);
  } catch (error) {
    return cannotSave(error, 'delete your answers');
  }
  const lines =
    forgotten === 0
      ? [`You have no quiz answers ${placeOf(invoker)}: there was nothing to delete.`]
      : [`Deleted your ${forgotten === 1 ? 'answer' : `${forgotten} answers`} ${placeOf(invoker)}, and your score with ${forgotten === 1 ? 'it' : 'them'}. Quiz tallies no longer count them.`];
  return textReply('info', 'Quiz answers deleted', lines, { private: true });
}

/** An option button. State: "<quiz id>.<option index>". */
const quizAnswer: Component<QuizAnswerAction> = {
  kind: 'quiz-answer',
  key: 'qa',
  version: 1,
  type: 'button',
  style: 'primary',
  answer: 'update',
  encode: ({ quiz, choice }) => `${quiz}.${choice}`,
  decode: (text) => {
    const match = /^(\d{1,15})\.(\d)$/.exec(text);
    return match ? { kind: 'quiz-answer', quiz: Number(match[1]), choice: Number(match[2]) } : undefined;
  },
  label: ({ label, choice }) => label ?? `Option ${choice + 1}`,
  handle: (action, { invoker }, context) => answerQuiz(action, invoker, context),
};

/** "Reveal", for whoever started the quiz. State: "<quiz id>". */
const quizReveal: Component<QuizRevealAction> = {
  kind: 'quiz-reveal',
  key: 'qr',
  version: 1,
  type: 'button',
  style: 'secondary',
  answer: 'update',
  encode: ({ quiz }) => String(quiz),
  decode: (text) => (/^\d{1,15}$/.test(text) ? { kind: 'quiz-reveal', quiz: Number(text) } : undefined),
  label: () => 'Reveal',
  handle: (action, { invoker }, context) => revealQuiz(action, invoker, context),
};

const quiz: Command = {
  definition: {
    name: 'quiz',
    description: 'Quizzes built from the article’s own sentences, with scores',
    options: [
      {
        type: OptionType.Subcommand,
        name: 'start',
        description: 'Post a question: fill in a blank, or say which paragraph a sentence is from',
        options: [
          { type: OptionType.Integer, name: 'paragraph', description: 'Ask about this paragraph, as in ¶5 (any, if left out)', min_value: 1, max_value: 999 },
          articleOption,
          {
            type: OptionType.String,
            name: 'kind',
            description: 'The kind of question (either, if left out)',
            choices: [
              { name: 'Fill in the blank', value: 'cloze' },
              { name: 'Which paragraph', value: 'which-paragraph' },
            ],
          },
        ],
      },
      {
        type: OptionType.Subcommand,
        name: 'scores',
        description: 'The top 10 of this server and your own rank',
        options: [{ type: OptionType.Boolean, name: 'public', description: 'Post the top 10 for everyone in this channel (Manage Server)' }],
      },
      { type: OptionType.Subcommand, name: 'forget-me', description: 'Delete your quiz answers and score here' },
    ],
  },
  handle: async ({ subcommand, options, invoker }, context) => {
    switch (subcommand) {
      case 'start':
        return startQuiz(options, invoker, context);
      case 'scores':
        return scores(invoker, context, options.public === true);
      case 'forget-me':
        return forgetMe(invoker, context);
      default:
        return textReply('error', 'Which quiz command?', ['Use /quiz start, /quiz scores or /quiz forget-me.'], { private: true });
    }
  },
  components: [quizAnswer, quizReveal],
};

export default quiz;
