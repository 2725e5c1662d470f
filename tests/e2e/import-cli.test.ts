/**
 * `npm run import` as a deployer or a script uses it: a Word file and a web
 * page become corpus files the loader accepts, `--json` prints one object,
 * and every failure exits non-zero with one line and writes nothing.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.ts';
import { bodyParagraphs } from '../../src/corpus/types.ts';
import { CORPUS_DIR } from '../support/app.ts';
import { docxOf, newsPage } from '../support/documents.ts';
import { runScript } from '../support/run.ts';

const ESSAY = {
  title: 'On Walking',
  author: 'R. Solnit',
  paragraphs: [
    'Walking is the intentional act closest to the unwilled rhythms of the body, to breathing and the beating of the heart.',
    'It strikes a delicate balance between working and idling, being and doing, and it is a bodily labour that produces nothing but thoughts and experiences.',
  ],
};

let dir: string;
let server: Server;
let base = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-import-cli-'));
  await copyFile(join(CORPUS_DIR, 'russian-iranian-relations-troubled-ties.md'), join(dir, 'russian-iranian-relations-troubled-ties.md'));
  server = createServer((request, response) => {
    if (request.url === '/walking.html') response.writeHead(200, { 'content-type': 'text/html' }).end(newsPage(ESSAY));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) => runScript('src/cli/import.ts', args, { env: { CORPUS_DIR: dir, IMPORT_ALLOW_HOSTS: '', ...env }, timeoutMs: 30_000 });

describe('npm run import', () => {
  it('imports a Word file into the corpus folder and prints one JSON object', async () => {
    const file = join(dir, 'walking.docx');
    await writeFile(file, await docxOf(ESSAY));
    const { code, stdout, stderr } = await run([file, '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toEqual({ slug: 'on-walking', title: 'On Walking', author: 'R. Solnit', paragraphs: 2, file: join(dir, 'on-walking.md') });
    const articles = await loadCorpus(dir);
    const imported = articles.find((article) => article.slug === 'on-walking');
    expect(bodyParagraphs(imported!).map((paragraph) => paragraph.text)).toEqual(ESSAY.paragraphs);
  });

  it('imports a web page from an allowed host, and asks it alone with ask --article', async () => {
    const { code, stderr } = await run([`${base}/walking.html`, '--slug', 'walking-page'], { IMPORT_ALLOW_HOSTS: '127.0.0.1' });
    expect(code, stderr).toBe(0);
    expect(await readFile(join(dir, 'walking-page.md'), 'utf8')).toContain(`source: ${base}/walking.html`);
    const asked = await runScript('src/cli/ask.ts', ['--json', '--article', 'walking-page', 'What is walking a bodily labour that produces?'], { env: { CORPUS_DIR: dir } });
    expect(asked.code, asked.stderr).toBe(0);
    const answer = JSON.parse(asked.stdout) as { passages: { article: string; paragraph: number }[] };
    expect(answer.passages.every((passage) => passage.article === 'walking-page')).toBe(true);
    expect(answer.passages[0]?.paragraph).toBe(2);
  });

  it('fails with one line and writes nothing: a taken slug, a private address, a missing file, a bad slug, no source', async () => {
    const before = (await readdir(dir)).sort();
    const failures = [
      [[join(dir, 'walking.docx')], /on-walking\.md already exists: choose another name with --slug/],
      [[`${base}/walking.html`], /127\.0\.0\.1 is a private or local address/],
      [[join(dir, 'missing.pdf')], /is not a file that can be read/],
      [[join(dir, 'walking.docx'), '--slug', 'Bad Slug'], /--slug must be lowercase/],
      [[], /usage: npm run --silent import/],
    ] as const;
    for (const [args, message] of failures) {
      const { code, stdout, stderr } = await run([...args]);
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
    expect((await readdir(dir)).sort()).toEqual(before);
  });
});
