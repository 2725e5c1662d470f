/**
 * Turns the text positions of PDF pages back into paragraphs: items on one
 * baseline make a line; a wider gap than the body's line spacing, an
 * indented first line or a short line ending a sentence starts a paragraph;
 * a word hyphenated at a line end is joined again. Running headers and
 * footers (the same text at the top or bottom of many pages, page numbers)
 * are dropped; a paragraph that runs on to the next page is kept whole.
 */
import { keptParagraphs } from '../text.ts';

export interface TextItem {
  text: string;
  /** Left edge and baseline, in PDF units (y grows upwards). */
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
}

/** Items whose baselines differ by less than this share a line. */
const SAME_LINE = 2;
/** A gap this many times the usual line spacing separates paragraphs. */
const PARAGRAPH_GAP = 1.4;
/** A first line starting this far right of the margin is indented. */
const INDENT = 4;
/** A line ending a sentence this much short of the text width ends its paragraph. */
const SHORT_LINE = 0.85;
/** A text with at least this share of indented lines marks paragraphs by indentation. */
const INDENTED_SHARE = 0.02;
/** Lines this close to a page's top or bottom may be running headers or footers. */
const EDGE_LINES = 2;

export function paragraphsOfPages(pages: readonly (readonly TextItem[])[]): string[] {
  const lined = dropRunningLines(pages.map(linesOf));
  const all = lined.flat();
  const margin = mode(all.map((line) => Math.round(line.x)));
  const width = Math.max(0, ...all.map((line) => line.right)) - margin;
  // A text that indents its first lines marks paragraphs that way; only a text that does not (block style)
  // needs the weaker sign of a short line ending a sentence, which a long word wrapped early can fake.
  const indented = all.filter((line) => line.x > margin + INDENT && line.x < margin + width / 4).length;
  const blockStyle = indented < Math.max(2, all.length * INDENTED_SHARE);
  const paragraphs: string[] = [];
  let current: string | undefined;
  let previous: Line | undefined;
  for (const lines of lined) {
    const spacing = median(lines.slice(1).map((line, index) => (lines[index] as Line).y - line.y).filter((gap) => gap > 0));
    lines.forEach((line, index) => {
      const gap = index === 0 ? 0 : (lines[index - 1] as Line).y - line.y;
      const starts =
        current === undefined ||
        line.x > margin + INDENT ||
        (index > 0 && spacing > 0 && gap > spacing * PARAGRAPH_GAP) ||
        (blockStyle && previous !== undefined && /[.!?:"”’)]$/.test(previous.text) && previous.right - margin < width * SHORT_LINE);
      if (starts) {
        if (current !== undefined) paragraphs.push(current);
        current = line.text;
      } else {
        current = joinLines(current as string, line.text);
      }
      previous = line;
    });
  }
  if (current !== undefined) paragraphs.push(current);
  return keptParagraphs(paragraphs);
}

/** "interna-" + "tional" is "international"; "well-" + "Known" keeps its hyphen. */
function joinLines(before: string, after: string): string {
  return /\p{Ll}-$/u.test(before) && /^\p{Ll}/u.test(after) ? before.slice(0, -1) + after : `${before} ${after}`;
}

function linesOf(items: readonly TextItem[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: TextItem[][] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs((row[0] as TextItem).y - item.y) < SAME_LINE) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    const ordered = row.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const item of ordered) {
      const spaced = text === '' || /\s$/.test(text) || /^\s/.test(item.text) || item.x - end < 0.5 ? '' : ' ';
      text += spaced + item.text;
      end = item.x + item.width;
    }
    return { text: text.replace(/\s+/g, ' ').trim(), x: (ordered[0] as TextItem).x, right: end, y: (ordered[0] as TextItem).y };
  });
}

/** Drops page numbers, and lines repeated at the same edge of at least half the pages (two at least). */
function dropRunningLines(pages: Line[][]): Line[][] {
  const key = (line: Line): string => line.text.toLowerCase().replace(/\d+/g, '#');
  const edges = (lines: Line[]): Line[] => [...lines.slice(0, EDGE_LINES), ...lines.slice(-EDGE_LINES)];
  const counts = new Map<string, number>();
  for (const lines of pages) for (const name of new Set(edges(lines).map(key))) counts.set(name, (counts.get(name) ?? 0) + 1);
  const repeated = (line: Line): boolean => pages.length >= 2 && (counts.get(key(line)) ?? 0) >= Math.max(2, pages.length / 2);
  const pageNumber = (line: Line): boolean => /^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i.test(line.text);
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    return lines.filter((line) => !(edge.has(line) && (repeated(line) || pageNumber(line))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}
