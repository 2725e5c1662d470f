/**
 * What start-up loads: the terminal chat answering /help must not load the
 * libraries only some commands need (the date parser, the NLP library, the
 * picture renderer, the document extractors, the Postgres driver). Each one
 * loaded eagerly has cost the cold start 100–350 ms. A resolve hook of Node's
 * module loader writes every module it resolves to a file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'footnote-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAZY = ['chrono-node', 'compromise', '@resvg/resvg-js', 'unpdf', 'mammoth', 'linkedom', '@mozilla/readability', 'marked', 'pg', 'dejavu-fonts-ttf'];

describe('start-up', () => {
  it('loads no library that only some commands need', async () => {
    const log = join(dir, 'modules.txt');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}
`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(dir, 'hooks.mjs')}`)});\n`);
    const { code, stdout } = await runScript('src/main.ts', [], { input: '/help\n', nodeArgs: ['--import', join(dir, 'register.mjs')] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/\/ask/);
    const packages = new Set([...readFileSync(log, 'utf8').matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1] as string));
    // The log works: the search library is always there.
    expect(packages).toContain('minisearch');
    for (const name of LAZY) expect(packages.has(name), name).toBe(false);
  });
});
