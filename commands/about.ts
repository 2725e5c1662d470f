import { textReply } from '../src/reply/reply.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import type { Command } from '../src/commands/types.ts';
import { articleOption } from '../src/texts/run.ts';
import { surname } from '../src/study/about-text.ts';

const about: Command = {
  definition: { name: 'about', description: 'What Footnote is reading: title, author, paragraphs, and how to cite', options: [articleOption] },
  handle: (_input, { library }) => {
    const lines = library.articles.map((article) => {
      const body = bodyParagraphs(article).length;
      const others = article.paragraphs.length - body;
      const extra = others > 0 ? ` (plus ${others} other paragraphs: byline, author notes, reader comments)` : '';
      const source = article.source ? ` Source: ${article.source}` : '';
      return `“${article.title}” by ${article.author}: ${body} numbered paragraphs, ¶1 to ¶${body}${extra}.${source}`;
    });
    return textReply('info', 'About Footnote', [
      ...lines,
      'Every answer sentence is quoted word for word from the article and followed by its paragraph, as in (¶9).',
      `To cite a passage, give its author and number: “${surname(library.mainArticle.author)}, ¶9”. Check it with /passage number:9.`,
      'Reader comments and author notes are labelled as such: they are not the author’s argument.',
    ]);
  },
};

export default about;
