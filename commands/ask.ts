import { MAX_QUESTION_CHARS } from '../src/question.ts';
import { StaleComponentError } from '../src/commands/components.ts';
import { OptionType, type Command, type Component } from '../src/commands/types.ts';
import type { MorePassagesAction, ReplyAction } from '../src/reply/reply.ts';
import { conversationKey } from '../src/conversation/memory.ts';
import { asksAboutTheText, readFollowUp } from '../src/conversation/follow-up.ts';
import { aboutTheText } from '../src/study/about-text.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply } from '../src/reply/reply.ts';
import { scopeFor } from '../src/store/types.ts';

import { articleOption } from '../src/texts/run.ts';
import { sentenceKey } from '../src/review/cards.ts';
import type { RememberSentenceAction } from './review.ts';
import { confusedAction } from '../src/organizer/actions.ts';
import { termsOf } from '../src/language/terms.ts';
import { warnAtMostEveryMinute } from '../src/log.ts';

/** A server's open questions: the newest 500, none older than 90 days (a list to act on, not an archive). */
const OPEN_QUESTIONS_KEPT = 500;
const OPEN_QUESTIONS_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Content words an open question needs to be kept: one is a fragment ("why?", "really?", "Velayati?"). */
const MIN_OPEN_QUESTION_TERMS = 2;

const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;
const MAX_OFFSET = 1_000;
const MORE_SHORTCUT = { word: 'more', unavailable: 'There are no more passages for the last question.' };

/** "More passages" for a question too long to carry: the rest of its ranking, by position in one article. */
interface RankedPassagesAction extends ReplyAction {
  kind: 'ranked-passages';
  article: string;
  positions: number[];
}

/** Each position is two base-36 digits; room for 30-odd in a custom_id. */
const POSITION_DIGITS = 2;
const MAX_POSITION = 36 ** POSITION_DIGITS - 1;
/** "fn1:r:" and the article slug come first; what is left holds positions. */
const RANKED_ROOM = 100 - 'fn1:r:'.length - 1;

/** "More passages": the next page, re-asking the question. State: "<offset>:<question>" (the question last: it may hold ":"). */
const morePassages: Component<MorePassagesAction> = {
  kind: 'more-passages',
  key: 'm',
  version: 1,
  type: 'button',
  style: 'primary',
  // A shortened question would rank differently, so it is never cut: the fallback carries the ranking instead.
  encode: ({ offset, question }) => (question.trim() === '' ? undefined : `${offset}:${question}`),
  decode: (text) => {
    const match = /^(\d{1,5}):([\s\S]*)$/.exec(text);
    const offset = Number(match?.[1]);
    if (!match || offset < 1 || offset > MAX_OFFSET || (match[2] as string).trim() === '') return undefined;
    return { kind: 'more-passages', offset, question: match[2] as string };
  },
  label: () => 'More passages',
  shortcut: MORE_SHORTCUT,
  fallback: ({ question, offset }, { library }) => {
    const rest = library.remainingRanking(question, offset);
    return rest && ({ kind: 'ranked-passages', ...rest } satisfies RankedPassagesAction);
  },
  handle: ({ question, offset }, _input, { library }) => library.ask(question, { offset }),
};

/** The same page for a long question: its remaining paragraphs, shown whole. State: "<article>:<positions>". */
const rankedPassages: Component<RankedPassagesAction> = {
  kind: 'ranked-passages',
  key: 'r',
  version: 1,
  type: 'button',
  style: 'primary',
  encode: ({ article, positions }) => {
    // As many positions as fit: the pages then end a little early, but each is the true next one.
    const kept = positions.slice(0, Math.floor((RANKED_ROOM - article.length) / POSITION_DIGITS));
    if (!ARTICLE.test(article) || kept.length === 0 || kept.some((position) => !Number.isInteger(position) || position < 0 || position > MAX_POSITION)) return undefined;
    return `${article}:${kept.map((position) => position.toString(36).padStart(POSITION_DIGITS, '0')).join('')}`;
  },
  decode: (text) => {
    const match = /^([a-z0-9][a-z0-9-]{0,89}):((?:[0-9a-z]{2})+)$/.exec(text);
    if (!match) return undefined;
    const positions = (match[2] as string).match(/[0-9a-z]{2}/g)?.map((digits) => parseInt(digits, 36)) ?? [];
    return { kind: 'ranked-passages', article: match[1] as string, positions };
  },
  label: () => 'More passages',
  shortcut: MORE_SHORTCUT,
  handle: ({ article, positions }, _input, { library }) => {
    const page = library.rankedPage(article, positions);
    if (!page) throw new StaleComponentError();
    const { reply, rest } = page;
    return rest.length > 0 ? { ...reply, actions: [...reply.actions, { kind: 'ranked-passages', article, positions: rest } satisfies RankedPassagesAction] } : reply;
  },
};

const ask: Command = {
  definition: {
    name: 'ask',
    description: 'Ask a question about the article; the answer quotes it with ¶ citations',
    options: [
      { type: OptionType.String, name: 'question', description: 'Your question, in your own words', required: true, max_length: MAX_QUESTION_CHARS, autocomplete: true },
      articleOption,
    ],
  },
  answering: true,
  handle: async ({ options, invoker }, { library, store, clock, logger, conversations }) => {
    const question = String(options.question ?? '');
    const scope = scopeFor(invoker);
    const now = clock.now();
    // A follow-up ("why?", "and Turkey?", "what did he say?") is read with this person's last question here.
    const key = conversationKey(invoker);
    const last = conversations.recall(key, now);
    const reading = readFollowUp(question, last, now, (text) => library.namesIn(text));
    // In a /discuss thread, the paragraph under discussion and its neighbours come first.
    const discussion = invoker.guildId === undefined ? undefined : await store.discussions.get(scope, invoker.channelId).catch(() => undefined);
    const prefer = discussion ? { article: discussion.article, paragraphs: [discussion.paragraph - 1, discussion.paragraph, discussion.paragraph + 1] } : reading.followUp?.prefer;
    const reply = library.ask(reading.question, { ...(prefer ? { prefer } : {}), ...(reading.followUp ? { title: question, asked: question } : {}) });
    // "When was this written?": the text's own facts, not "not covered" (the question is never kept as an open one).
    if (reply.kind === 'not-found' && asksAboutTheText(question)) {
      const article = library.mainArticle;
      const { lines } = aboutTheText(question, article, await library.guide(article).timeline());
      return textReply('info', reply.title, lines, { footer: footerOf(article) });
    }
    if (reading.followUp && last && reply.kind !== 'info') reply.notes.unshift(`Read with your last question, “${last.question}”.`);
    const quoted = reply.answer[0];
    if (reply.kind === 'answer' && reply.confidence !== 'low' && quoted?.cite.role === 'body') {
      reply.actions.push({ kind: 'remember-sentence', article: quoted.cite.article, paragraph: quoted.cite.paragraph, sentence: sentenceKey(quoted.text) } satisfies RememberSentenceAction);
    }
    const first = reply.kind === 'answer' ? (reply.answer[0]?.cite ?? reply.passages[0]?.cite) : undefined;
    if (first?.role === 'body') {
      // For the organizer's report: counted in memory and written in batches, no write per question.
      store.activity.recordAnswer(scope, first.article, first.paragraph, reply.confidence === 'low' ? 'low' : 'high');
      reply.actions.push(confusedAction(first.article, first.paragraph));
    }
    if (reply.kind === 'answer') {
      const cited = reply.answer[0]?.cite ?? reply.passages[0]?.cite;
      conversations.remember(key, {
        question: reading.question,
        names: library.namesIn(reading.question),
        ...(cited && cited.role === 'body' ? { paragraph: { article: cited.article, number: cited.paragraph } } : {}),
        ...(reply.answer[0] ? { answer: reply.answer[0].text } : {}),
        at: now,
      });
    }
    // Only a question that says what it is about is kept for the group: "why?" with nothing before it is not one.
    if ((reply.kind === 'not-found' || reply.confidence === 'low') && termsOf(reading.question).length >= MIN_OPEN_QUESTION_TERMS) {
      // The group's open questions, recorded behind the answer: the answer neither waits for it nor fails with it.
      const confidence = reply.kind === 'not-found' ? 'none' : 'low';
      void store.openQuestions
        .add({ scope, question: reading.question, askerId: invoker.userId, askerName: invoker.displayName, confidence }, now, { max: OPEN_QUESTIONS_KEPT, since: now - OPEN_QUESTIONS_DAYS * DAY_MS })
        .catch((error: unknown) => warnAtMostEveryMinute(logger, error, 'could not record an open question'));
    }
    return reply;
  },
  autocomplete: (_option, partial, { library }) => library.suggest(partial),
  components: [morePassages, rankedPassages],
};

export default ask;
