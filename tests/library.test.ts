import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../src/app.ts';
import { renderForTerminal } from '../src/terminal/render.ts';
import { CORPUS_DIR } from './support/app.ts';

const SECOND = `---
title: Notes on Caspian Shipping
author: A. Reader
---
Caviar exports across the Caspian Sea fell sharply after the sturgeon ban.

Shipping between Astrakhan and Anzali grew as rail links lagged.
`;

describe('a library of two articles (adding an article is adding a file)', () => {
  it('answers from either article and cites each in its own numbering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'footnote-two-'));
    await copyFile(join(CORPUS_DIR, 'russian-iranian-relations-troubled-ties.md'), join(dir, 'a-katz.md'));
    await writeFile(join(dir, 'b-caspian.md'), SECOND);
    const app = await loadApp(dir);
    const { library } = app.context;

    const caspian = library.ask('What happened to caviar exports after the sturgeon ban?');
    expect(caspian.answer[0]).toMatchObject({ cite: { article: 'b-caspian', label: '¶1' } });
    expect(caspian.footer).toBe('Notes on Caspian Shipping — A. Reader');
    // "/passage 1" alone would open the first article's ¶1.
    expect(renderForTerminal(caspian, { color: false, app })).toContain('/passage 1 article:b-caspian');

    expect(library.ask('Why are Russia and Iran not allies?').answer[0]?.cite).toMatchObject({ article: 'a-katz', label: '¶9' });
    expect(library.passage(2, { article: 'b-caspian' }).passages[0]?.full).toMatch(/^Shipping between Astrakhan/);
    expect(library.passage(2).passages[0]?.full).toMatch(/^Yet despite/);
  });
});
