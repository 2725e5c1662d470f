import type { Command } from '../src/commands/types.ts';
import { citationOf, footerOf } from '../src/reply/compose.ts';
import { textReply } from '../src/reply/reply.ts';
import type { EventDate } from '../src/study/timeline.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';

const SENTENCE_CHARS = 300;

/** "14 March 2016", "February 2016" or "2016": as much as the article says, no more. */
function formatDate({ year, month, day }: EventDate): string {
  if (month === undefined) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric', month: 'long', ...(day === undefined ? {} : { day: 'numeric' }) };
  return new Intl.DateTimeFormat('en-GB', options).format(date);
}

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
        ...events.map((event) => `${formatDate(event.date)} (“${event.text}”) — “${truncate(event.sentence, SENTENCE_CHARS)}” (${citationOf(event.paragraph).label})`),
        '',
        'Where the article gives only a month or a day, the year is the one its other dates point to.',
      ],
      { footer },
    );
  },
};

export default timeline;
