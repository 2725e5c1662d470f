/**
 * How a reading plan cuts an article: parts of N body paragraphs, each posted
 * in one message, or in a few when its paragraphs are too long for one. A
 * message's title names its part and paragraphs, so it also marks the message
 * (see `inDoubtOutcome` in due.ts).
 */
import { bodyParagraphs, type Article, type Paragraph } from '../corpus/types.ts';
import { citationOf, footerOf } from '../reply/compose.ts';
import type { Reply, ReplyAction } from '../reply/reply.ts';
import type { StudyGuide } from '../study/guide.ts';

/**
 * Paragraph text one message carries. A Discord embed description holds 4,096
 * characters; this leaves room for each "¶N · body" heading, Markdown escapes
 * and the discussion prompt. A single longer paragraph still goes alone (and a
 * platform may shorten it).
 */
export const MESSAGE_TEXT_BUDGET = 3_300;
/** What each paragraph's heading and separating blank line take. */
const HEADING_CHARS = 20;

/** One message of a plan: part `part` of `parts`, body paragraphs ¶from–¶to. */
export interface PartMessage {
  part: number;
  parts: number;
  from: number;
  to: number;
  /** The part's first message carries the discussion prompt. */
  firstOfPart: boolean;
  lastOfPart: boolean;
  /** The article's last message says the article is finished. */
  lastOfPlan: boolean;
}

export function partCount(total: number, perPart: number): number {
  return Math.max(1, Math.ceil(total / perPart));
}

/** The part a paragraph belongs to (1-based). */
export function partOf(paragraph: number, perPart: number): number {
  return Math.ceil(paragraph / perPart);
}

/** The body paragraphs of part `part`. */
export function partRange(part: number, perPart: number, total: number): { from: number; to: number } {
  return { from: (part - 1) * perPart + 1, to: Math.min(part * perPart, total) };
}

/** "¶4–¶6", or "¶4" for one paragraph. */
export function rangeText(from: number, to: number): string {
  return from === to ? `¶${from}` : `¶${from}–¶${to}`;
}

/**
 * The message that posts ¶`next` onwards: as many of its part's paragraphs as
 * fit the budget (at least one). Undefined when the article has no ¶`next`.
 */
export function messageFrom(body: readonly Paragraph[], perPart: number, next: number): PartMessage | undefined {
  if (next < 1 || next > body.length) return undefined;
  const part = partOf(next, perPart);
  const { from: partStart, to: partEnd } = partRange(part, perPart, body.length);
  let to = next;
  let used = (body[next - 1]?.text.length ?? 0) + HEADING_CHARS;
  while (to < partEnd) {
    const more = (body[to]?.text.length ?? 0) + HEADING_CHARS;
    if (used + more > MESSAGE_TEXT_BUDGET) break;
    used += more;
    to += 1;
  }
  return { part, parts: partCount(body.length, perPart), from: next, to, firstOfPart: next === partStart, lastOfPart: to === partEnd, lastOfPlan: to === body.length };
}

/** "Reading, part 2 of 4: ¶4–¶6"; a part's later messages say "(continued)". */
export function messageTitle(message: Pick<PartMessage, 'part' | 'parts' | 'from' | 'to' | 'firstOfPart'>): string {
  return `Reading, part ${message.part} of ${message.parts}${message.firstOfPart ? '' : ' (continued)'}: ${rangeText(message.from, message.to)}`;
}

export const FINISHED_LINE = 'This is the last part: with it the article is finished. Thank you for reading along!';

/** What a post adds under its paragraphs: notes and flags, the part's due time and buttons, the recap at the end. */
export interface PartExtras {
  lines: string[];
  actions: ReplyAction[];
}

/** The message itself: the paragraphs in full and cited, the part's discussion prompt first, and the end of the article said. */
export function partReply(article: Article, message: PartMessage, guide: StudyGuide, extras: PartExtras = { lines: [], actions: [] }): Reply {
  const shown = bodyParagraphs(article).slice(message.from - 1, message.to);
  const first = shown[0];
  const notes = [
    ...(message.firstOfPart && first ? [`To discuss: ${guide.prompt(first)}`] : []),
    ...(message.lastOfPlan ? [FINISHED_LINE] : []),
    ...extras.lines,
  ];
  return {
    kind: 'passage',
    title: messageTitle(message),
    answer: [],
    passages: shown.map((paragraph) => ({ cite: citationOf(paragraph), excerpt: [{ text: paragraph.text }], full: paragraph.text, score: 0 })),
    notes,
    actions: extras.actions,
    footer: footerOf(article),
  };
}
