/**
 * The dated events of an article, in calendar order: every expression in a
 * body sentence that names a calendar date or month, read by chrono and
 * placed in time from the article's own date.
 */
import * as chrono from 'chrono-node';
import type { Article, Paragraph } from '../corpus/types.ts';
import { bodySentences, type LocatedSentence } from './outline.ts';

import type { EventDate } from './event-date.ts';

export type { EventDate } from './event-date.ts';

export interface TimelineEvent {
  date: EventDate;
  /** The date words as the article writes them ("early May 1999"). */
  text: string;
  paragraph: Paragraph;
  /** The sentence holding `text`, verbatim. */
  sentence: string;
}

export type { TimelineEvent as Event };

/**
 * chrono with its calendar parsers only. Its parsers of durations and of
 * words relative to today ("two hours after", "now") find nothing a timeline
 * keeps and take most of its time on long sentences (their patterns are
 * tried at every word). They are picked out by class name: a renamed one
 * stays in, costing time but not correctness, as its results are refused
 * by their tags below.
 */
const RELATIVE_PARSER = /TimeUnit|Relative|Casual|EndOfCurrent/;
const calendarChrono = ((): chrono.Chrono => {
  const configuration = chrono.en.configuration.createCasualConfiguration();
  configuration.parsers = configuration.parsers.filter((parser) => !RELATIVE_PARSER.test(parser.constructor.name));
  return new chrono.Chrono(configuration);
})();

const MONTHS = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2000, month, 1)));
const monthNames = (width: 'long' | 'short'): string[] =>
  MONTHS.map((date) => new Intl.DateTimeFormat('en', { month: width, timeZone: 'UTC' }).format(date));
/** Month names from the platform's locale data; long names first so "March" is not read as "Mar". */
const MONTH_NAMES = [...monthNames('long'), ...monthNames('short'), 'Sept'];
const MONTH_WORD = new RegExp(`(?<![\\p{L}])(${MONTH_NAMES.join('|')})(?![\\p{L}])`, 'iu');
/** Numeric dates ("5/4/1999", "1999-05-04"). */
const NUMERIC_DATE = /\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?/;

/**
 * A bare month name is a date only after a word that puts it in time ("in
 * March", "early March"); elsewhere it is a verb or a surname ("Theresa May").
 */
const BEFORE_BARE_MONTH = new Set(['in', 'on', 'by', 'since', 'until', 'till', 'during', 'from', 'through', 'throughout', 'of', 'before', 'after', 'early', 'mid', 'late', 'last', 'next', 'this']);
/** Qualifiers chrono leaves out that are part of the date as written: "early March", "mid-March". */
const QUALIFIER = /(?<![\p{L}])(early|mid|late)[\s-]+$/iu;
/** Where in a month a qualified month-only date falls, for ordering only. */
const QUALIFIER_DAY: Record<string, number> = { early: 1, mid: 15, late: 28 };

interface Found {
  located: LocatedSentence;
  text: string;
  /** Offset of `text` in its sentence. */
  index: number;
  date: EventDate;
  yearCertain: boolean;
  /** "early", "mid" or "late" when the text qualifies a month-only date. */
  qualifier?: string;
}

function mayHoldDate(sentence: string): boolean {
  return MONTH_WORD.test(sentence) || NUMERIC_DATE.test(sentence);
}

/** The calendar dates chrono finds in one sentence, by the rules above. */
function datesIn(located: LocatedSentence, reference: Date): Found[] {
  const { sentence } = located;
  const found: Found[] = [];
  for (const result of calendarChrono.parse(sentence, reference)) {
    const tags = result.tags();
    // "now", "the day before", "the last three months" are relative to the reference, not dates in the text.
    if ([...tags].some((tag) => tag.startsWith('result/relative') || tag.startsWith('casualReference'))) continue;
    if (!result.start.isCertain('month')) continue;

    // chrono's match may carry the comma or space after the date.
    const written = result.text.trim().replace(/[,;:]+$/, '');
    let index = result.index + (result.text.length - result.text.trimStart().length);
    const month = MONTH_WORD.exec(written);
    // Month names are proper nouns; a lower-case "may" or "march" is a verb.
    if (month && !/^\p{Lu}/u.test(month[1]!)) continue;
    const bare = !result.start.isCertain('day') && !result.start.isCertain('year');
    if (bare) {
      const before = /(\p{L}+)[\s-]+$/u.exec(sentence.slice(0, index));
      if (!before || !BEFORE_BARE_MONTH.has(before[1]!.toLowerCase())) continue;
    }
    const qualifier = QUALIFIER.exec(sentence.slice(0, index));
    if (qualifier) index -= qualifier[0].length;

    found.push({
      located,
      text: sentence.slice(index, sentence.indexOf(written, result.index) + written.length),
      index,
      date: {
        year: result.start.get('year')!,
        month: result.start.get('month')!,
        ...(result.start.isCertain('day') ? { day: result.start.get('day')! } : {}),
      },
      yearCertain: result.start.isCertain('year'),
      ...(qualifier ? { qualifier: qualifier[1]!.toLowerCase() } : {}),
    });
  }
  return found;
}

/** Last moment of the span a date names (a month-only date covers its month). */
function endOf(date: EventDate): Date {
  if (date.month === undefined) return new Date(date.year, 11, 31, 23, 59);
  if (date.day === undefined) return new Date(date.year, date.month, 0, 23, 59);
  return new Date(date.year, date.month - 1, date.day, 23, 59);
}

/** The front matter's date: ISO ("1999-05-04"), a year alone (mid-year), or anything chrono reads. */
function articleDate(article: Article): Date | undefined {
  const text = article.date?.trim();
  if (!text) return undefined;
  if (/^\d{4}$/.test(text)) return new Date(Number(text), 6, 1);
  const iso = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(text);
  if (iso) return new Date(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3] ?? 1));
  return calendarChrono.parseDate(text) ?? undefined;
}

function sortDay(event: Found): number {
  if (event.date.day !== undefined) return event.date.day;
  return event.qualifier === undefined ? 0 : (QUALIFIER_DAY[event.qualifier] ?? 0);
}

/**
 * The article's dated events, earliest first; events on the same date keep
 * reading order. Only expressions naming a calendar month or date count:
 * relative ones ("the last three months", "the day before") are left out.
 *
 * A date without a year ("On March 14") takes the year that puts it nearest
 * the reference: `referenceDate` if given, else the article's front-matter
 * date, else the latest date the text gives with its year — an article is
 * written after the last events it dates, so a month it names without a year
 * is the one nearest those. With no year anywhere, the reference is today.
 */
export function timelineOf(article: Article, referenceDate?: Date): TimelineEvent[] {
  const sentences = bodySentences(article).filter(({ sentence }) => mayHoldDate(sentence));
  const given = referenceDate ?? articleDate(article);
  let found = sentences.flatMap((located) => datesIn(located, given ?? new Date()));

  if (given === undefined) {
    const dated = found.filter((event) => event.yearCertain).map((event) => endOf(event.date));
    const latest = dated.reduce<Date | undefined>((last, date) => (last === undefined || date > last ? date : last), undefined);
    if (latest !== undefined && found.some((event) => !event.yearCertain)) {
      found = sentences.flatMap((located) => datesIn(located, latest));
    }
  }

  const order = new Map(sentences.map((located, index) => [located, index]));
  return found
    .map((event) => ({ event, key: [event.date.year, event.date.month ?? 0, sortDay(event), order.get(event.located)!, event.index] }))
    .sort((a, b) => {
      for (let index = 0; index < a.key.length; index += 1) {
        const difference = a.key[index]! - b.key[index]!;
        if (difference !== 0) return difference;
      }
      return 0;
    })
    .map(({ event }) => ({ date: event.date, text: event.text, paragraph: event.located.paragraph, sentence: event.located.sentence }));
}
