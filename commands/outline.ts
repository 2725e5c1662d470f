import { citationOf, footerOf } from '../src/reply/compose.ts';
import type { Command } from '../src/commands/types.ts';
import { textReply } from '../src/reply/reply.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';

/** Whole opening sentences while the outline fits one message this long; past it, each lead is shortened to about LEAD_CHARS. */
const WHOLE_BUDGET_CHARS = 3_600;
const LEAD_CHARS = 280;

/**
 * A lead shortened where a reader would pause — the last comma, semicolon,
 * colon or dash before the limit, if that keeps most of it — else at a word;
 * "…" shows the cut. /passage has the rest.
 */
function shortened(lead: string): string {
  if (lead.length <= LEAD_CHARS) return lead;
  const head = lead.slice(0, LEAD_CHARS);
  const pause = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf(': '), head.lastIndexOf(' — '), head.lastIndexOf('—'));
  return pause >= LEAD_CHARS * 0.5 ? `${head.slice(0, pause).trimEnd()}…` : truncate(lead, LEAD_CHARS);
}

const outline: Command = {
  definition: { name: 'outline', description: "The article's structure: each paragraph's opening sentence, and its thesis", options: [articleOption] },
  handle: (_input, { library }) => {
    const article = library.mainArticle;
    const guide = library.guide(article);
    // Openings are quoted whole when they fit; a long text's are shortened at a pause, never mid-list.
    const whole = guide.outline.reduce((sum, { lead }) => sum + lead.length + 8, guide.thesis.sentence.length) <= WHOLE_BUDGET_CHARS;
    return textReply(
      'info',
      `Outline of “${article.title}”`,
      [
        `Thesis: “${guide.thesis.sentence}” (${citationOf(guide.thesis.paragraph).label})`,
        '',
        ...guide.outline.map(({ paragraph, lead }) => `${citationOf(paragraph).label} — ${whole ? lead : shortened(lead)}`),
        '',
        'Open a paragraph with /passage number:N; start a discussion on one with /discuss paragraph:N.',
      ],
      { footer: footerOf(article) },
    );
  },
};

export default outline;
