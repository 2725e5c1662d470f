import { citationOf, footerOf } from '../src/reply/compose.ts';
import type { Command } from '../src/commands/types.ts';
import { textReply } from '../src/reply/reply.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';

/** A lead longer than this is cut with "…": the outline is for finding your way, /passage has the rest. */
const LEAD_CHARS = 280;

const outline: Command = {
  definition: { name: 'outline', description: "The article's structure: each paragraph's opening sentence, and its thesis", options: [articleOption] },
  handle: (_input, { library }) => {
    const article = library.mainArticle;
    const guide = library.guide(article);
    return textReply(
      'info',
      `Outline of “${article.title}”`,
      [
        `Thesis: “${guide.thesis.sentence}” (${citationOf(guide.thesis.paragraph).label})`,
        '',
        ...guide.outline.map(({ paragraph, lead }) => `${citationOf(paragraph).label} — ${truncate(lead, LEAD_CHARS)}`),
        '',
        'Open a paragraph with /passage number:N; start a discussion on one with /discuss paragraph:N.',
      ],
      { footer: footerOf(article) },
    );
  },
};

export default outline;
