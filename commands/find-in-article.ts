import type { Command } from '../src/commands/types.ts';

/** Longest quote of the selected message in the reply's title. */
const TITLE_QUOTE_CHARS = 80;

/** Cuts by code points, so an emoji is never split into a lone surrogate. */
function shorten(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/** Message context menu: find where the article says what a chat message claims. */
const findInArticle: Command = {
  definition: { name: 'Find in article', description: 'Search the article for the passage behind a message', type: 3 },
  answering: true,
  handle: ({ targetText }, { library }) => {
    const text = targetText ?? '';
    return library.ask(text, { title: `Find in article: “${shorten(text.replace(/\s+/g, ' ').trim(), TITLE_QUOTE_CHARS)}”` });
  },
};

export default findInArticle;
