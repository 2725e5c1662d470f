/**
 * Splits an article body into paragraphs and numbers them. Body paragraphs
 * get ¶1, ¶2, … in reading order; the rest carry a role marker and their own
 * label, so a reader never mistakes a comment for the author's argument.
 */
import { CorpusError } from './errors.ts';
import type { Paragraph, Role } from './types.ts';

const MARKED_ROLES = { byline: 'byline', bio: 'bio', comment: 'comment' } as const satisfies Record<string, Role>;
const ROLE_NAMES: Record<Role, string> = { body: '¶', byline: 'byline', bio: 'author note', comment: 'reader comment' };

const HEADING = /^#{1,6}\s/;
const LEADING_MARKER = /^\{([a-z-]+)\}\s*/;
const ANY_MARKER = /\{(byline|bio|comment|body)\}/;

interface Line {
  text: string;
  /** 1-based line in the source file: a block's lines need not be consecutive once comments are dropped. */
  line: number;
}

interface Block {
  lines: Line[];
  line: number;
}

/**
 * Blank-line separated blocks. HTML comment lines are dropped, not blanked:
 * a note inside a paragraph must not split it and shift every ¶ number after it.
 */
function blocksOf(lines: string[], startLine: number, file: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inComment = false;
  lines.forEach((raw, index) => {
    let text = raw;
    if (inComment || text.trimStart().startsWith('<!--')) {
      inComment = !text.includes('-->');
      return;
    }
    // A heading ends the paragraph before it and is not one itself; "#1 rule" (no space) is text.
    if (HEADING.test(text)) text = '';
    if (text.trim() === '') {
      current = undefined;
      return;
    }
    const line = startLine + index;
    if (current === undefined) {
      current = { lines: [], line };
      blocks.push(current);
    }
    current.lines.push({ text: text.trim(), line });
  });
  if (inComment) throw new CorpusError(file, 'an HTML comment (<!--) is never closed');
  return blocks;
}

function roleOf(block: Block, file: string): { role: Role; text: string } {
  const joined = block.lines.map((line) => line.text).join(' ');
  const marker = LEADING_MARKER.exec(joined);
  let role: Role = 'body';
  let text = joined;
  if (marker) {
    const name = marker[1] as string;
    if (!(name in MARKED_ROLES)) {
      throw new CorpusError(file, `unknown paragraph marker {${name}} (use {byline}, {bio} or {comment})`, block.line);
    }
    role = MARKED_ROLES[name as keyof typeof MARKED_ROLES];
    text = joined.slice(marker[0].length);
  }
  const stray = block.lines.find(({ text: line }, index) => ANY_MARKER.test(index === 0 && marker ? line.slice(marker[0].length) : line));
  if (stray) {
    throw new CorpusError(file, 'paragraph marker in the wrong place: it must open a paragraph, after a blank line', stray.line);
  }
  if (text.trim() === '') throw new CorpusError(file, `a {${role}} marker with no text after it`, block.line);
  return { role, text };
}

/** Parses body lines (after the front matter) into numbered paragraphs. */
export function parseParagraphs(lines: string[], startLine: number, article: string, file: string): Paragraph[] {
  const counts: Record<Role, number> = { body: 0, byline: 0, bio: 0, comment: 0 };
  const entries = blocksOf(lines, startLine, file).map((block) => {
    const { role, text } = roleOf(block, file);
    counts[role] += 1;
    return { role, text, line: block.line, number: counts[role] };
  });
  if (counts.body === 0) throw new CorpusError(file, 'the article has no body paragraphs');
  return entries.map((entry, position) => ({
    article,
    position,
    number: entry.number,
    role: entry.role,
    label: labelOf(entry.role, entry.number, counts[entry.role]),
    text: entry.text,
    line: entry.line,
  }));
}

function labelOf(role: Role, number: number, total: number): string {
  if (role === 'body') return `¶${number}`;
  return total > 1 || role === 'comment' ? `${ROLE_NAMES[role]} ${number}` : ROLE_NAMES[role];
}
