import { OptionType, type Command } from '../src/commands/types.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { citationOf, footerOf } from '../src/reply/compose.ts';
import { textReply } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';
import { warnAtMostEveryMinute } from '../src/log.ts';
import { paragraphMarks } from '../src/organizer/actions.ts';

/** Discord's thread names are at most 100 characters; the first words of ¶N tell the threads apart. */
const THREAD_NAME_CHARS = 100;
const PROMPT_CHARS = 300;

/** Posts ¶N with a question to discuss and opens a thread on it; questions asked in the thread look at ¶N first. */
const discuss: Command = {
  definition: {
    name: 'discuss',
    description: 'Post a paragraph with a question to discuss, and open a thread on it',
    options: [
      { type: OptionType.Integer, name: 'paragraph', description: 'The paragraph, as in ¶5', required: true, min_value: 1, max_value: 999 },
      { type: OptionType.String, name: 'prompt', description: 'Your question for the group (Footnote suggests one otherwise)', max_length: PROMPT_CHARS },
      articleOption,
    ],
  },
  handle: async ({ options, invoker }, { library, store, clock, logger }) => {
    const article = library.mainArticle;
    const number = Number(options.paragraph);
    const paragraph = bodyParagraphs(article)[number - 1];
    if (!Number.isInteger(number) || !paragraph) {
      return textReply('error', 'No such paragraph', [`Paragraphs are numbered ¶1 to ¶${bodyParagraphs(article).length}; “${String(options.paragraph)}” is not one of them.`], { private: true });
    }
    if (invoker.guildId === undefined) {
      return textReply('info', 'Discussions need a server', [`A discussion opens a thread, and threads exist only in servers. Here, read ¶${number} with /passage number:${number}, or ask about it.`], { private: true });
    }
    const given = typeof options.prompt === 'string' ? truncate(options.prompt.trim(), PROMPT_CHARS) : '';
    const prompt = given === '' ? library.guide(article).prompt(paragraph) : given;
    const label = citationOf(paragraph).label;
    const asks = `${given === '' ? 'To discuss' : `${invoker.displayName} asks`}: ${prompt}`;
    const passages = [{ cite: citationOf(paragraph), excerpt: [{ text: paragraph.text }], full: paragraph.text, score: 0 }];
    // Where people read, their notes: the count and a "Notes on ¶N" button, and a way to say it confused them.
    const marks = await paragraphMarks(store, logger, scopeFor(invoker), article.slug, [number]);
    if (invoker.inThread) {
      // Discord cannot start a thread inside a thread: this thread takes up the paragraph instead.
      const remembered = await store.discussions
        .add({ scope: scopeFor(invoker), threadId: invoker.channelId, article: article.slug, paragraph: number, startedBy: invoker.userId }, clock.now())
        .then(() => true)
        .catch((error: unknown) => {
          warnAtMostEveryMinute(logger, error, 'could not remember a discussion thread');
          return false;
        });
      const next = remembered ? `Discuss it in this thread: mention me here with a question and I look at ${label} and its neighbours first.` : `Discuss it in this thread: mention me here with a question about ${label}.`;
      return { ...textReply('passage', `Discussion: ${label}`, [asks, '', next, ...marks.lines], { footer: footerOf(article), actions: marks.actions }), passages };
    }
    return {
      ...textReply('passage', `Discussion: ${label}`, [asks, '', `Reply in the thread below. Mention me there with a question and I look at ${label} and its neighbours first.`, ...marks.lines], {
        footer: footerOf(article),
        actions: marks.actions,
      }),
      passages,
      thread: { name: truncate(`${label} — ${paragraph.text}`, THREAD_NAME_CHARS), discussion: { article: article.slug, paragraph: number } },
    };
  },
};

export default discuss;
