import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError } from '../src/corpus/errors.ts';
import { loadCorpus, MAX_ARTICLE_BYTES, parseArticle } from '../src/corpus/load.ts';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { CORPUS_DIR } from './support/app.ts';

const SOURCE_TEXT = join(CORPUS_DIR, '..', '..', 'shared', 'article', 'russian-iranian-relations-troubled-ties.txt');

const GOOD = `---
title: A Test Article
author: Ann Author
aliases:
  Moscow: [Kremlin]
---
{byline} by Ann Author

First body paragraph.
It goes on over a second line.

## A heading is not a paragraph

Second body paragraph.

{bio} Ann Author writes tests.

{comment} A reader thinks otherwise.
`;

function errorOf(source: string, file = 'corpus/test-article.md'): CorpusError {
  try {
    parseArticle(source, file);
  } catch (error) {
    if (error instanceof CorpusError) return error;
    throw error;
  }
  throw new Error('expected a CorpusError');
}

describe('parseArticle', () => {
  it('numbers body paragraphs and labels the others', () => {
    const article = parseArticle(GOOD, 'corpus/test-article.md');
    expect(article.slug).toBe('test-article');
    expect(article.aliases).toEqual({ Moscow: ['Kremlin'] });
    expect(article.paragraphs.map((p) => [p.label, p.role, p.line])).toEqual([
      ['byline', 'byline', 7],
      ['¶1', 'body', 9],
      ['¶2', 'body', 14],
      ['author note', 'bio', 16],
      ['reader comment 1', 'comment', 18],
    ]);
    expect(article.paragraphs[1]?.text).toBe('First body paragraph. It goes on over a second line.');
  });

  it.each([
    ['no front matter', 'Just text.\n', /front matter missing/, 1],
    ['unclosed front matter', '---\ntitle: x\n', /not closed/, 1],
    ['malformed YAML', '---\ntitle: [unclosed\nauthor: a\n---\nText.\n', /malformed front matter/, 3],
    ['missing title', '---\nauthor: a\n---\nText.\n', /title/, 2],
    ['empty title', '---\ntitle: "  "\nauthor: a\n---\nText.\n', /title/, 2],
    ['unknown front matter key', '---\ntitle: t\nauthor: a\ncolour: red\n---\nText.\n', /colour/, 2],
    ['empty body', '---\ntitle: t\nauthor: a\n---\n\n', /no body paragraphs/, undefined],
    ['only comments', '---\ntitle: t\nauthor: a\n---\n{comment} hi\n', /no body paragraphs/, undefined],
    ['unknown marker', '---\ntitle: t\nauthor: a\n---\n{footnote} text\n', /unknown paragraph marker \{footnote\}/, 5],
    ['marker mid-paragraph', '---\ntitle: t\nauthor: a\n---\nBody text\n{comment} glued to it\n', /wrong place/, 6],
    ['marker inside a line', '---\ntitle: t\nauthor: a\n---\nBody {bio} text\n', /wrong place/, 5],
    ['marker with no text', '---\ntitle: t\nauthor: a\n---\nBody.\n\n{bio}\n', /no text/, 7],
    ['unclosed HTML comment', '---\ntitle: t\nauthor: a\n---\n<!-- note\nBody.\n', /never closed/, undefined],
  ])('rejects %s with file and line', (_name, source, message, line) => {
    const error = errorOf(source);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith('corpus/test-article.md')).toBe(true);
    expect(error.line).toBe(line);
  });

  it('ends a paragraph at a heading line, and keeps "#1"-style text as text', () => {
    const article = parseArticle('---\ntitle: t\nauthor: a\n---\nFirst.\n## Part two\nSecond.\n\n#1 rule: read it.\n', 'corpus/t.md');
    expect(article.paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['¶1', 'First.'],
      ['¶2', 'Second.'],
      ['¶3', '#1 rule: read it.'],
    ]);
  });

  it('drops an HTML comment inside a paragraph without splitting it', () => {
    const source = [
      '---', 'title: t', 'author: a', '---',
      'First half,', '<!-- a note -->', 'second half.',
      '<!--', '  a longer note', '', '  with a blank line in it', '-->',
      '', 'Second paragraph.',
    ].join('\n');
    expect(parseArticle(source, 'corpus/t.md').paragraphs.map((p) => [p.label, p.text, p.line])).toEqual([
      ['¶1', 'First half, second half.', 5],
      ['¶2', 'Second paragraph.', 14],
    ]);
  });

  it('names the true line of a stray marker after a dropped comment', () => {
    const error = errorOf('---\ntitle: t\nauthor: a\n---\nBody\n<!-- x -->\n{comment} glued\n');
    expect(error.message).toMatch(/wrong place/);
    expect(error.line).toBe(7);
  });

  it('rejects a file name that makes no slug', () => {
    expect(errorOf(GOOD, 'corpus/Bad Name!.md').message).toMatch(/slug/);
  });
});

describe('loadCorpus', () => {
  async function folder(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'footnote-corpus-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  }

  it('loads every .md file in name order', async () => {
    const dir = await folder({ 'b.md': GOOD, 'a.md': GOOD, 'notes.txt': 'ignored' });
    expect((await loadCorpus(dir)).map((article) => article.slug)).toEqual(['a', 'b']);
  });

  it('refuses duplicate slugs, naming both files', async () => {
    const dir = await folder({ 'a.md': GOOD, 'A.MD': GOOD });
    await expect(loadCorpus(dir)).rejects.toThrow(/duplicate slug "a"/);
  });

  it('refuses an empty or missing folder', async () => {
    await expect(loadCorpus(await folder({}))).rejects.toThrow(/no article files/);
    await expect(loadCorpus(join(tmpdir(), 'footnote-does-not-exist'))).rejects.toThrow(/cannot read the corpus folder \(ENOENT\)/);
  });

  it('stops at the first malformed file: no half-loaded corpus', async () => {
    const dir = await folder({ 'a.md': GOOD, 'b.md': '---\nauthor: x\n---\nText\n' });
    await expect(loadCorpus(dir)).rejects.toThrow(/b\.md:2: invalid front matter/);
  });

  it('names an unreadable file', async () => {
    const dir = await folder({ 'a.md': GOOD });
    await mkdir(join(dir, 'folder.md'));
    await expect(loadCorpus(dir)).rejects.toThrow(/folder\.md: cannot read the file/);
  });
});

describe('loadCorpus on hostile input', () => {
  const FILE = 'a.md';

  async function load(files: Record<string, string | Uint8Array>): Promise<{ dir: string; result: Article[] | CorpusError }> {
    const dir = await mkdtemp(join(tmpdir(), 'footnote-hostile-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    try {
      return { dir, result: await loadCorpus(dir) };
    } catch (error) {
      // Anything else escaping the loader is a bug: it would name no file.
      if (error instanceof CorpusError) return { dir, result: error };
      throw error;
    }
  }

  const header = (yaml: string): string => `---\n${yaml}\n---\nText.\n`;
  const bomb = [
    'title: &a [x, x, x, x, x, x, x, x, x]',
    ...['b', 'c', 'd', 'e', 'f', 'g'].map((name, index) => `${name}: &${name} [${Array(9).fill(`*${index === 0 ? 'a' : ['b', 'c', 'd', 'e', 'f'][index - 1]}`).join(', ')}]`),
  ].join('\n');
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xd8]);

  // [name, file content, expected message and line]
  it.each<[string, string | Uint8Array, RegExp, number | undefined]>([
    ['an empty file', '', /front matter missing/, 1],
    ['only front matter', '---\ntitle: t\nauthor: a\n---\n', /no body paragraphs/, undefined],
    ['a lone fence', '---', /not closed/, 1],
    ['a file over the size limit', GOOD + 'x'.repeat(3 * 1024 * 1024), /file too large \(3\.0 MB; the limit is 2 MB per article file\)/, undefined],
    ['binary garbage', png, /not valid UTF-8/, 1],
    ['UTF-16', Buffer.from(`\uFEFF${GOOD}`, 'utf16le'), /not valid UTF-8 \(it looks like UTF-16\)/, 1],
    ['invalid UTF-8 in the body', Buffer.concat([Buffer.from(GOOD), Buffer.from([0x0a, 0x41, 0xc3, 0x28, 0x0a])]), /not valid UTF-8/, 20],
    ['a NUL byte', '---\ntitle: t\nauthor: a\n---\nBody\u0000text.\n', /control character U\+0000 \(NUL\) at column 5/, 5],
    ['an escape character in the front matter', header('title: a\u001b[31mb\nauthor: a'), /control character U\+001B/, 2],
    ['deeply nested YAML', header(`title: ${'['.repeat(20_000)}${']'.repeat(20_000)}\nauthor: a`), /malformed front matter/, 2],
    ['front matter over its limit', header(`title: ${'['.repeat(600_000)}${']'.repeat(600_000)}`), /front matter too long/, 2],
    ['a YAML alias bomb', header(`${bomb}\nauthor: a`), /aliases expand too far/, 3],
    ['a number as title', header('title: 42\nauthor: a'), /invalid front matter \(title:/, 2],
    ['a list as title', header('title: [a, b]\nauthor: a'), /invalid front matter \(title:/, 2],
    ['duplicate keys', header('title: t\ntitle: u\nauthor: a'), /malformed front matter: Map keys must be unique/, 3],
    ['an unknown YAML tag', header('title: !shell t\nauthor: a'), /malformed front matter: Unresolved tag/, 2],
    ['a YAML list for front matter', header('- title\n- author'), /invalid front matter/, 2],
  ])('refuses %s with a CorpusError naming the file', async (_name, content, message, line) => {
    const { dir, result } = await load({ [FILE]: content });
    expect(result).toBeInstanceOf(CorpusError);
    const error = result as CorpusError;
    expect(error.message).toMatch(message);
    expect(error.file).toBe(join(dir, FILE));
    expect(error.line).toBe(line);
  });

  it.each<[string, string]>([
    ['a byte-order mark', `\uFEFF${GOOD}`],
    ['CRLF line endings', GOOD.replace(/\n/g, '\r\n')],
  ])('accepts %s, giving the same article as plain LF', async (_name, content) => {
    const { result } = await load({ [FILE]: content });
    const plain = parseArticle(GOOD, 'a.md');
    expect(result).toBeInstanceOf(Array);
    const [article] = result as Article[];
    expect(article?.title).toBe(plain.title);
    expect(article?.paragraphs.map((p) => [p.label, p.text, p.line])).toEqual(plain.paragraphs.map((p) => [p.label, p.text, p.line]));
  });

  it('accepts an ordinary YAML alias', async () => {
    const { result } = await load({ [FILE]: '---\ntitle: t\nauthor: a\naliases:\n  Moscow: &ru [Kremlin]\n  Russia: *ru\n---\nText.\n' });
    expect((result as Article[])[0]?.aliases).toEqual({ Moscow: ['Kremlin'], Russia: ['Kremlin'] });
  });

  it('checks the size before reading: a sparse 4 GB file is refused at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'footnote-hostile-'));
    await writeFile(join(dir, 'huge.md'), '');
    await truncate(join(dir, 'huge.md'), 4 * 1024 ** 3);
    await expect(loadCorpus(dir)).rejects.toThrow(/huge\.md: file too large \(4096\.0 MB; the limit is 2 MB/);
    expect(MAX_ARTICLE_BYTES).toBe(2 * 1024 * 1024);
  });

  it('skips hidden files, even broken links and malformed ones', async () => {
    const { dir } = await load({ 'a.md': GOOD, '.hidden.md': 'no front matter\u0000' });
    await symlink(join(dir, 'gone.md'), join(dir, '.#a.md'));
    expect((await loadCorpus(dir)).map((article) => article.slug)).toEqual(['a']);
  });

  it('follows a link to an article, and refuses a broken link by name', async () => {
    const { dir } = await load({ 'a.txt': GOOD });
    await symlink(join(dir, 'a.txt'), join(dir, 'linked.md'));
    expect((await loadCorpus(dir)).map((article) => article.slug)).toEqual(['linked']);
    await symlink(join(dir, 'gone.txt'), join(dir, 'broken.md'));
    await expect(loadCorpus(dir)).rejects.toThrow(/broken\.md: cannot read the file \(ENOENT\)/);
  });
});

describe('the Katz article', () => {
  it('has eleven body paragraphs in reading order, with stable first words', async () => {
    const [article] = await loadCorpus(CORPUS_DIR);
    expect(article?.title).toBe('Russian-Iranian Relations: Troubled Ties');
    expect(article?.author).toBe('Mark N. Katz');
    const firstWords = bodyParagraphs(article!).map((p) => p.text.split(' ').slice(0, 4).join(' '));
    expect(firstWords).toEqual([
      'On March 14, Russian',
      'Yet despite this shared',
      'In December 2015, there',
      'The prospect of Iranian-Turkish',
      'In addition, Ali Akbar',
      'There appear to be',
      'Further, on March 13',
      'And less than two',
      'Despite their numerous anti-Western',
      'On the other hand,',
      'The Iranian nuclear accord',
    ]);
  });

  it('labels the byline, the author notes and the two reader comments', async () => {
    const [article] = await loadCorpus(CORPUS_DIR);
    const others = article!.paragraphs.filter((p) => p.role !== 'body').map((p) => p.label);
    expect(others).toEqual(['byline', 'author note 1', 'author note 2', 'reader comment 1', 'reader comment 2']);
  });

  // Lines count from the file's top, so they move with the front matter (26 lines of topics); numbers and text never do.
  it('loads exactly as before: paragraphs per role, numbers, lines and text hashes', async () => {
    const [article] = await loadCorpus(CORPUS_DIR);
    const counts: Record<string, number> = {};
    for (const paragraph of article!.paragraphs) counts[paragraph.role] = (counts[paragraph.role] ?? 0) + 1;
    expect(counts).toEqual({ byline: 1, body: 11, bio: 2, comment: 2 });
    const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
    expect(article!.paragraphs.map((p) => [p.label, p.number, p.line, hash(p.text)])).toEqual([
      ['byline', 1, 44, 'd04cde0116319d6f'],
      ['¶1', 1, 46, '0a6a0ebba8ee8c41'],
      ['¶2', 2, 48, '7736c0c84f31f4b6'],
      ['¶3', 3, 50, '79547bc190f5b536'],
      ['¶4', 4, 52, '67d744c123a12245'],
      ['¶5', 5, 54, '7446d1d5ddb3135a'],
      ['¶6', 6, 56, '33c7ec775d119b83'],
      ['¶7', 7, 58, '987f7b6b1dc9627b'],
      ['¶8', 8, 60, '985f2b2735290b99'],
      ['¶9', 9, 62, 'df6025d699d822f4'],
      ['¶10', 10, 64, '47b2e18b524c5cf2'],
      ['¶11', 11, 66, '4c7cae7c38a4e1d2'],
      ['author note 1', 1, 68, '84d998e43c78d65e'],
      ['author note 2', 2, 72, 'e0003e024fea6f96'],
      ['reader comment 1', 1, 74, 'f1937ade08902890'],
      ['reader comment 2', 2, 78, '1bef9003f59c0c9c'],
    ]);
  });

  // The original text sits beside the checkout in the workspace and in CI; elsewhere this one check cannot run.
  it.skipIf(!existsSync(SOURCE_TEXT))('keeps the wording of the source text exactly', async () => {
    const source = await readFile(SOURCE_TEXT, 'utf8');
    const [article] = await loadCorpus(CORPUS_DIR);
    const flat = source.replace(/\s+/g, ' ');
    for (const paragraph of article!.paragraphs) expect(flat).toContain(paragraph.text.replace(/\s+/g, ' '));
  });
});
