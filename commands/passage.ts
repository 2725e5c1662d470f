import { OptionType, type Command, type Component } from '../src/commands/types.ts';
import type { FullPassageAction } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';
import { confusedAction, type NotesOnAction } from '../src/organizer/actions.ts';
import type { RememberParagraphAction } from './review.ts';
import { counted } from '../src/commands/wording.ts';
import { articleOption } from '../src/texts/run.ts';
import { warnAtMostEveryMinute } from '../src/log.ts';

const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;
const MAX_PARAGRAPH = 9_999;

/** "Full ¶N" under an answer: the whole paragraph, for whoever clicked. State: "<paragraph>:<article>". */
const fullPassage: Component<FullPassageAction> = {
  kind: 'full-passage',
  key: 'p',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ paragraph, article }) => (ARTICLE.test(article) && Number.isInteger(paragraph) ? `${paragraph}:${article}` : undefined),
  decode: (text) => {
    const match = /^(\d{1,4}):(.*)$/s.exec(text);
    const paragraph = Number(match?.[1]);
    if (!match || paragraph < 1 || paragraph > MAX_PARAGRAPH || !ARTICLE.test(match[2] as string)) return undefined;
    return { kind: 'full-passage', paragraph, article: match[2] as string };
  },
  // /passage numbers body paragraphs only: a reader comment's number is not one.
  label: ({ article, paragraph }, reply) => {
    const shown = reply.passages.filter((passage) => passage.cite.article === article && passage.cite.paragraph === paragraph);
    if (shown.length > 0 && !shown.some((passage) => passage.cite.role === 'body')) return undefined;
    return `Full ¶${paragraph}`;
  },
  typed: ({ article, paragraph }, { library }) => `/passage ${paragraph}${article === library.mainArticle.slug ? '' : ` article:${article}`}`,
  handle: ({ paragraph, article }, _input, { library }) => library.passage(paragraph, { article }),
};

const passage: Command = {
  definition: {
    name: 'passage',
    description: 'Show a paragraph of the article in full, by its ¶ number',
    options: [
      { type: OptionType.Integer, name: 'number', description: 'The paragraph number, as in ¶9', required: true, min_value: 1, max_value: 999 },
      { type: OptionType.Boolean, name: 'context', description: 'Also show the paragraphs just before and after' },
      {
        type: OptionType.String,
        name: 'kind',
        description: 'The argument (¶N, default), or an author note or a reader comment by its number',
        max_length: 20,
        choices: [
          { name: 'paragraph (¶N)', value: 'paragraph' },
          { name: 'author note', value: 'author-note' },
          { name: 'reader comment', value: 'reader-comment' },
        ],
      },
      articleOption,
    ],
  },
  handle: async ({ options, invoker }, { library, store, logger }) => {
    const number = Number(options.number);
    const reply = library.passage(number, {
      context: options.context === true,
      ...(typeof options.article === 'string' ? { article: options.article } : {}),
      ...(options.kind === 'author-note' ? { role: 'bio' as const } : options.kind === 'reader-comment' ? { role: 'comment' as const } : {}),
    });
    // Notes and review cards are kept on the main article's paragraphs.
    if (reply.kind !== 'passage' || reply.passages[0]?.cite.role !== 'body' || reply.passages[0].cite.article !== library.mainArticle.slug) return reply;
    const remember: RememberParagraphAction = { kind: 'remember-paragraph', paragraph: number, article: library.mainArticle.slug };
    let count: number;
    try {
      count = (await store.notes.countByParagraph(scopeFor(invoker), invoker.userId, library.mainArticle.slug)).get(number) ?? 0;
    } catch (error) {
      // The passage matters more than its note count.
      warnAtMostEveryMinute(logger, error, 'could not count the notes of a paragraph');
      return { ...reply, actions: [...reply.actions, remember, confusedAction(library.mainArticle.slug, number)] };
    }
    const line = count === 0 ? `No notes on ¶${number} yet: add one with /note add paragraph:${number}.` : `${counted(count, 'note')} on ¶${number}.`;
    return { ...reply, notes: [...reply.notes, line], actions: [...reply.actions, { kind: 'notes-on', paragraph: number, count, article: library.mainArticle.slug } satisfies NotesOnAction, remember, confusedAction(library.mainArticle.slug, number)] };
  },
  components: [fullPassage],
};

export default passage;
