import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { cannotSave, counted, placeOf } from '../src/commands/wording.ts';
import { remindersChanged } from '../src/review/reminders.ts';
import { textReply, type Reply, type ReplyAction } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';

/** Open questions read to count a member's: the scope keeps at most 500. */
const OPEN_QUESTIONS_READ = 500;

interface ForgetAllAction extends ReplyAction {
  kind: 'privacy-forget';
}

/** "In this server", "Here": a place to start a line with. */
function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Everything kept about a member in this scope, counted. */
async function whatIsKept(invoker: Invoker, { store, clock }: CommandContext): Promise<string[]> {
  const scope = scopeFor(invoker);
  const { userId } = invoker;
  const [notes, standing, deck, reminder, members, open] = await Promise.all([
    store.notes.countByAuthor(scope, userId),
    store.quizzes.standing(scope, userId),
    store.reviews.deckSummary(scope, userId, clock.now()),
    store.reviews.getReminder(userId),
    store.activity.members(scope, userId),
    store.openQuestions.list(scope, OPEN_QUESTIONS_READ),
  ]);
  const mine = members[0];
  const asked = open.questions.filter((question) => question.askerId === userId).length;
  return [
    `${counted(notes, 'note')} you wrote`,
    `${counted(standing?.score.answered ?? 0, 'quiz answer')} and your score`,
    `${counted(deck.cards, 'review card')} and their grades`,
    `${counted(mine?.votes ?? 0, 'Helpful vote')}, ${counted(mine?.flags ?? 0, 'confusing flag')}, ${counted(mine?.done ?? 0, 'reading')} marked done`,
    `${counted(asked, 'question')} you asked that the text did not answer (kept for the group’s open questions)`,
    reminder ? `your daily review reminder (${reminder.at}, ${reminder.timeZone}), for all your decks` : 'no review reminder',
  ].map((line) => `• ${line}`);
}

async function show(invoker: Invoker, context: CommandContext): Promise<Reply> {
  return textReply(
    'info',
    'What Footnote keeps about you',
    [
      `${capitalised(placeOf(invoker))}, with your name as it was shown then:`,
      ...(await whatIsKept(invoker, context)),
      '',
      'Members see totals only; names beside figures only with Manage Server (/report). Your questions are not kept (the last one for ten minutes, to read a follow-up; answers are counted per paragraph, without who asked), unless the text could not answer them.',
      '/privacy forget-me deletes all of it.',
    ],
    { private: true },
  );
}

async function confirmForget(invoker: Invoker, context: CommandContext): Promise<Reply> {
  return textReply('info', 'Delete everything about you?', [`${capitalised(placeOf(invoker))}, this deletes:`, ...(await whatIsKept(invoker, context)), '', 'It cannot be undone.'], {
    private: true,
    actions: [{ kind: 'privacy-forget' } satisfies ForgetAllAction],
  });
}

async function forgetAll(invoker: Invoker, { store }: CommandContext): Promise<Reply> {
  const scope = scopeFor(invoker);
  const { userId } = invoker;
  try {
    const notes = await store.notes.forgetAuthor(scope, userId);
    const answers = await store.quizzes.forget(scope, userId);
    const cards = await store.reviews.forget(scope, userId);
    const reminder = await store.reviews.removeReminder(userId);
    const marks = await store.activity.forget(scope, userId);
    const questions = await store.openQuestions.forgetAsker(scope, userId);
    if (reminder) remindersChanged();
    return textReply(
      'info',
      'Deleted',
      [
        `Deleted ${placeOf(invoker)}: ${counted(notes, 'note')}, ${counted(answers, 'quiz answer')} and your score, ${counted(cards, 'review card')}, ${counted(marks, 'vote, flag and reading mark', 'votes, flags and reading marks')}, ${counted(questions, 'open question')}${reminder ? ', and your review reminder' : ''}.`,
      ],
      { private: true },
    );
  } catch (error) {
    return cannotSave(error, 'delete everything');
  }
}

/** "Delete all of it", under /privacy forget-me. */
const forgetButton: Component<ForgetAllAction> = {
  kind: 'privacy-forget',
  key: 'pf',
  version: 1,
  type: 'button',
  style: 'danger',
  answer: 'update',
  encode: () => '',
  decode: (text) => (text === '' ? { kind: 'privacy-forget' } : undefined),
  label: () => 'Delete all of it',
  handle: (_action, { invoker }, context) => forgetAll(invoker, context),
};

const privacy: Command = {
  definition: {
    name: 'privacy',
    description: 'What Footnote keeps about you here, and deleting all of it',
    options: [
      { type: OptionType.Subcommand, name: 'show', description: 'What Footnote keeps about you here' },
      { type: OptionType.Subcommand, name: 'forget-me', description: 'Delete everything Footnote keeps about you here (asks first)' },
    ],
  },
  private: true,
  handle: ({ subcommand, invoker }, context) => (subcommand === 'forget-me' ? confirmForget(invoker, context) : show(invoker, context)),
  components: [forgetButton],
};

export default privacy;
