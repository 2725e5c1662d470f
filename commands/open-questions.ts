import { OptionType, type Command } from '../src/commands/types.ts';
import { textReply } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';
import { cannotSave, counted, shortDate } from '../src/commands/wording.ts';
import { truncate } from '../src/truncate.ts';

const SHOWN = 20;
const QUESTION_CHARS = 200;


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
        return textReply('info', 'Open questions cleared', [`${counted(cleared, 'question')} removed.`]);
      } catch (error) {
        return cannotSave(error, 'clear the open questions');
      }
    }
    const { questions, total } = await store.openQuestions.list(scope, SHOWN);
    if (total === 0) return textReply('info', 'Open questions', [`No open questions: everything ${where} was answered from the article.`]);
    return textReply('info', 'Open questions', [
      `Questions ${where} that the article did not answer (${Math.min(SHOWN, total)} of ${total}, most recent first):`,
      '',
      ...questions.map((question) => `“${truncate(question.question, QUESTION_CHARS)}” — ${question.askerName}, ${shortDate(question.askedAt)}${question.confidence === 'low' ? ' (answered with low confidence)' : ''}`),
    ]);
  },
};

export default openQuestions;
