/**
 * A named pipe called *.md in the corpus folder: made with mkfifo (a process,
 * so it lives here rather than among the unit tests). The loader must refuse
 * it by name without ever blocking on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.ts';

const GOOD = `---
title: A Test Article
author: Ann Author
---
First body paragraph.
`;

async function load(files: Record<string, string>): Promise<{ dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'footnote-fifo-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return { dir };
}

describe('loadCorpus on special files', () => {
  it.skipIf(process.platform === 'win32')('refuses a named pipe, or a link to a pipe or a device, without blocking', async () => {
    const { dir } = await load({ 'a.md': GOOD });
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    await expect(loadCorpus(dir)).rejects.toThrow(/pipe\.md: cannot read the file \(not a regular file: a named pipe\)/);

    const linked = (await load({ 'a.md': GOOD })).dir;
    await symlink(join(dir, 'pipe.md'), join(linked, 'to-pipe.md'));
    await expect(loadCorpus(linked)).rejects.toThrow(/to-pipe\.md: cannot read the file \(not a regular file: a named pipe\)/);

    const device = (await load({ 'a.md': GOOD })).dir;
    await symlink('/dev/zero', join(device, 'zero.md'));
    await expect(loadCorpus(device)).rejects.toThrow(/zero\.md: cannot read the file \(not a regular file: a device\)/);
  });
});
