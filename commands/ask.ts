import { MAX_QUESTION_CHARS } from '../src/question.ts';
import { OptionType, type Command } from '../src/commands/types.ts';

const ask: Command = {
  definition: {
    name: 'ask',
    description: 'Ask a question about the article; the answer quotes it with ¶ citations',
    options: [
      { type: OptionType.String, name: 'question', description: 'Your question, in your own words', required: true, max_length: MAX_QUESTION_CHARS, autocomplete: true },
    ],
  },
  answering: true,
  handle: ({ options }, { library }) => library.ask(String(options.question ?? '')),
  autocomplete: (_option, partial, { library }) => library.suggest(partial),
};

export default ask;
