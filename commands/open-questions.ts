import { OptionType, type Command } from '../src/commands/types.ts';
import { textReply } from '../src/reply/reply.ts';
import { scopeFor, StoreWriteError } from '../src/store/types.ts';
import { truncate } from '../src/truncate.ts';

const SHOWN = 20;
const QUESTION_CHARS = 200;

function dateOf(epochMs: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(epochMs));
}

/** The group's questions the article did not answer: something to take up together, or to look for elsewhere. */
const openQuestions: Command = {
  definition: {
    name: 'open-questions',
    description: 'Questions asked here that the article did not answer, most recent first',
    options: [{ type: OptionType.Boolean, name: 'clear', description: 'Clear the list (needs Manage Messages in a server)' }],
  },
  handle: async ({ options, invoker }, { store }) => {
    const scope = scopeFor(invoker);
    const where = invoker.guildId === undefined ? 'you asked' : 'this server asked';
    if (options.clear === true) {
      if (invoker.guildId !== undefined && !invoker.permissions.manageMessages) {
        return textReply('error', 'Not allowed', ['Only members with Manage Messages can clear the open questions.'], { private: true });
      }
      try {
        const cleared = await store.openQuestions.clear(scope);
        return textReply('info', 'Open questions cleared', [`${cleared} question${cleared === 1 ? '' : 's'} removed.`]);
      } catch (error) {
        if (!(error instanceof StoreWriteError)) throw error;
        return textReply('error', 'Could not clear the open questions', ['Footnote’s database refused the change; nothing was removed. Please try again later.'], { private: true });
      }
    }
    const { questions, total } = await store.openQuestions.list(scope, SHOWN);
    if (total === 0) return textReply('info', 'Open questions', [`No open questions: everything ${where} was answered from the article.`]);
    return textReply('info', 'Open questions', [
      `Questions ${where} that the article did not answer (${Math.min(SHOWN, total)} of ${total}, most recent first):`,
      '',
      ...questions.map((question) => `“${truncate(question.question, QUESTION_CHARS)}” — ${question.askerName}, ${dateOf(question.askedAt)}${question.confidence === 'low' ? ' (answered with low confidence)' : ''}`),
    ]);
  },
};

export default openQuestions;
