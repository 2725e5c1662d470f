import type { Command } from '../src/commands/types.ts';
import { citationOf, footerOf } from '../src/reply/compose.ts';
import { textReply } from '../src/reply/reply.ts';
import { formatEventDate } from '../src/study/event-date.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';

const SENTENCE_CHARS = 300;

const timeline: Command = {
  definition: { name: 'timeline', description: 'The dated events of the article in date order, each with its sentence', options: [articleOption] },
  handle: async (_input, { library }) => {
    const article = library.mainArticle;
    const events = await library.guide(article).timeline();
    const footer = footerOf(article);
    if (events.length === 0) return textReply('not-found', 'Timeline', ['The article gives no dates.'], { footer });
    return textReply(
      'info',
      `Timeline of “${article.title}”`,
      [
        ...events.map((event) => `${formatEventDate(event.date)} (“${event.text}”) — “${truncate(event.sentence, SENTENCE_CHARS)}” (${citationOf(event.paragraph).label})`),
        '',
        'Where the article gives only a month or a day, the year is the one its other dates point to.',
      ],
      { footer },
    );
  },
};

export default timeline;
