import { OptionType, type Command } from '../src/commands/types.ts';

const passage: Command = {
  definition: {
    name: 'passage',
    description: 'Show a paragraph of the article in full, by its ¶ number',
    options: [
      { type: OptionType.Integer, name: 'number', description: 'The paragraph number, as in ¶9', required: true, min_value: 1, max_value: 999 },
      { type: OptionType.Boolean, name: 'context', description: 'Also show the paragraphs just before and after' },
      { type: OptionType.String, name: 'article', description: 'Article name, when the library has more than one', max_length: 100 },
    ],
  },
  handle: ({ options }, { library }) =>
    library.passage(Number(options.number), {
      context: options.context === true,
      ...(typeof options.article === 'string' ? { article: options.article } : {}),
    }),
};

export default passage;
