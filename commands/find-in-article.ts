import type { Command } from '../src/commands/types.ts';

/** Message context menu: find where the article says what a chat message claims. */
const findInArticle: Command = {
  definition: { name: 'Find in article', description: 'Search the article for the passage behind a message', type: 3 },
  answering: true,
  handle: ({ targetText }, { library }) => {
    const text = targetText ?? '';
    return library.ask(text, { title: `Find in article: “${text.length > 80 ? `${text.slice(0, 79)}…` : text}”` });
  },
};

export default findInArticle;
