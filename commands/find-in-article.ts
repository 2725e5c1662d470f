import { CommandType, type Command } from '../src/commands/types.ts';
import { truncate } from '../src/truncate.ts';

/** Longest quote of the selected message in the reply's title. */
const TITLE_QUOTE_CHARS = 80;

/** Message context menu: find where the article says what a chat message claims. */
const findInArticle: Command = {
  definition: { name: 'Find in article', description: 'Search the article for the passage behind a message', type: CommandType.Message },
  answering: true,
  readsText: true,
  handle: ({ targetText }, { library }) => {
    const text = targetText ?? '';
    return library.ask(text, { title: `Find in article: “${truncate(text.replace(/\s+/g, ' ').trim(), TITLE_QUOTE_CHARS)}”` });
  },
};

export default findInArticle;
