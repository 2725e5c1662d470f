/**
 * Reading a follow-up with the exchange before it: "and Turkey?", "why?",
 * "who said that?", "what did he do next?" take the subject, the paragraph or
 * the answer of the last question. A question that stands on its own (it
 * names what it is about and points back to nothing) starts fresh.
 */

import { truncate } from '../truncate.ts';

/** What is remembered of the last question a person asked here. */
export interface Exchange {
  question: string;
  /** Names the question used, in order ("Velayati", "Moscow"). */
  names: string[];
  /** The paragraph the answer came from. */
  paragraph?: { article: string; number: number };
  /** The first answer sentence, verbatim. */
  answer?: string;
  /** Epoch ms. */
  at: number;
}

export interface Reading {
  /** The question to search with: the follow-up completed from the last exchange, or the question itself. */
  question: string;
  /** Set when the last exchange was used; its paragraph then comes first. */
  followUp?: { prefer?: { article: string; paragraphs: number[] } };
}

/** Context older than this is forgotten: a question after a pause starts fresh. */
export const CONVERSATION_TTL_MS = 10 * 60 * 1000;

const ELLIPSIS = /^(?:and|but|also|what about|how about|and what about|and how about)\s+(.+?)[\s?.!]*$/i;
const BARE = /^(why(?: not)?|how(?: so)?|when|where|who|what|really|how come|in what way)[\s?.!]*$/i;
const WHO_SAID = /^who (?:said|wrote|claimed|announced|reported|denied) (?:that|this|it|so)[\s?.!]*$/i;
const WHEN_WAS = /^(when|where|why|how) (?:was|did|is|does) (?:that|this|it)(?: happen)?[\s?.!]*$/i;
const PRONOUN = /\b(?:he|she|him|her|his|hers|they|them|their|theirs|it|its|that|this|these|those)\b/i;
/** "When was this written?", "who wrote it?": about the article itself, not the last answer. */
const ABOUT_THE_TEXT = /\b(?:written|wrote|write|published|publish|author|authors)\b|\b(?:this|the) (?:article|text|piece|essay|paper)\b/i;
const QUESTION_START = /^\s*(?:why|how|when|where|who|whom|whose|what|which|did|does|do|is|are|was|were|has|have|had|can|could|will|would|should)\b\s*/i;

/** "When was this written?", "Who is the author?": a question about the text itself, not about what it says ("who said that?" is not one). */
export function asksAboutTheText(question: string): boolean {
  return ABOUT_THE_TEXT.test(question) && !WHO_SAID.test(question.trim());
}

function stripQuestionWords(question: string): string {
  return question.replace(QUESTION_START, '').replace(/[?.!\s]+$/u, '');
}

/** Replaces the last name of the earlier question with the new subject ("…differ over Turkey?" + "and Syria?"). */
function swapSubject(last: Exchange, subject: string): string {
  const name = last.names.at(-1);
  if (name === undefined) return `${last.question.replace(/[?.!\s]+$/u, '')} ${subject}`;
  const at = last.question.toLowerCase().lastIndexOf(name.toLowerCase());
  return at === -1 ? `${last.question} ${subject}` : `${last.question.slice(0, at)}${subject}${last.question.slice(at + name.length)}`;
}

function preferOf(last: Exchange): Reading['followUp'] {
  return last.paragraph ? { prefer: { article: last.paragraph.article, paragraphs: [last.paragraph.number] } } : {};
}

/**
 * `namesIn` says which names of the article a text uses; a question with a
 * name of its own and no pronoun pointing back is a new topic.
 */
export function readFollowUp(question: string, last: Exchange | undefined, now: number, namesIn: (text: string) => string[]): Reading {
  const text = question.trim();
  if (!last || now - last.at > CONVERSATION_TTL_MS) return { question: text };
  const elliptic = ELLIPSIS.exec(text);
  if (elliptic) return { question: swapSubject(last, elliptic[1] as string), followUp: {} };
  // The answer's words find its paragraph; its first words are enough, and stay within a question's length.
  if (WHO_SAID.test(text) && last.answer) return { question: `Who said: ${truncate(last.answer, 200)}`, followUp: preferOf(last) };
  if (asksAboutTheText(text)) return { question: text };
  const bare = BARE.exec(text) ?? WHEN_WAS.exec(text);
  if (bare) return { question: `${(bare[1] as string).toLowerCase()} ${stripQuestionWords(last.question)}?`, followUp: preferOf(last) };
  // "What was the point of it?" names nothing and points back: it is read with the last question's names, or its words.
  if (PRONOUN.test(text) && namesIn(text).length === 0) {
    const about = last.names.length > 0 ? last.names.join(', ') : stripQuestionWords(last.question);
    if (about !== '') return { question: `${text.replace(/[?.!\s]+$/u, '')} (${about})?`, followUp: preferOf(last) };
  }
  return { question: text };
}
