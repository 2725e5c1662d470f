import { StaleComponentError } from '../src/commands/components.ts';
import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { cannotSave, counted } from '../src/commands/wording.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import type { ConfusedAction } from '../src/organizer/actions.ts';
import { textReply, type Reply } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';
import { articleOption } from '../src/texts/run.ts';

const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;

/** Flags ¶N as confusing for this member, or takes the flag back; says how many flag it, never who. */
async function toggleFlag(article: string, paragraph: number, invoker: Invoker, { library, store, clock }: CommandContext): Promise<Reply> {
  const text = library.article(article);
  const total = text ? bodyParagraphs(text).length : 0;
  if (!Number.isInteger(paragraph) || paragraph < 1 || paragraph > total) {
    return textReply('error', 'No such paragraph', [total === 0 ? 'That text is not here any more.' : `Paragraphs are numbered ¶1 to ¶${total}; ¶${paragraph} is not one of them.`], { private: true });
  }
  let result: { flagged: boolean; count: number };
  try {
    result = await store.confusion.toggle(scopeFor(invoker), article, paragraph, { userId: invoker.userId, displayName: invoker.displayName }, clock.now());
  } catch (error) {
    return cannotSave(error, 'record that');
  }
  const others = result.count - (result.flagged ? 1 : 0);
  const lines = result.flagged
    ? [
        `Noted: ¶${paragraph} confused you${others > 0 ? `, and ${counted(others, 'other member')}` : ''}. Whoever organizes the reading sees which paragraphs confuse the group, never who flagged them.`,
        `Ask about it (/ask question:…) and the question is kept with ¶${paragraph} if the text does not answer it. Press again to take the flag back.`,
      ]
    : [`Your flag on ¶${paragraph} is taken back${result.count > 0 ? `; ${counted(result.count, 'member')} still flag it` : ''}.`];
  return textReply('info', result.flagged ? `¶${paragraph} confused you` : `¶${paragraph}: flag taken back`, lines, { private: true });
}

/** "¶N confused me". State: "<paragraph>:<article>". */
const confusedButton: Component<ConfusedAction> = {
  kind: 'confused',
  key: 'cf',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ paragraph, article }) => (ARTICLE.test(article) && Number.isInteger(paragraph) ? `${paragraph}:${article}` : undefined),
  decode: (text) => {
    const match = /^(\d{1,4}):([a-z0-9][a-z0-9-]{0,89})$/.exec(text);
    return match ? { kind: 'confused', paragraph: Number(match[1]), article: match[2] as string } : undefined;
  },
  label: ({ paragraph }) => `¶${paragraph} confused me`,
  typed: ({ paragraph, article }, { library }) => `/confused paragraph:${paragraph}${article === library.mainArticle.slug ? '' : ` article:${article}`}`,
  handle: ({ article, paragraph }, { invoker }, context) => {
    if (!context.library.article(article)) throw new StaleComponentError();
    return toggleFlag(article, paragraph, invoker, context);
  },
};

const confused: Command = {
  definition: {
    name: 'confused',
    description: 'Tell the organizer a paragraph confused you (again to take it back); only counts are shown',
    options: [{ type: OptionType.Integer, name: 'paragraph', description: 'The paragraph, as in ¶5', required: true, min_value: 1, max_value: 999 }, articleOption],
  },
  private: true,
  handle: ({ options, invoker }, context) => toggleFlag(context.library.mainArticle.slug, Number(options.paragraph), invoker, context),
  components: [confusedButton],
};

export default confused;
