/**
 * An acknowledged note survives the process being killed outright (SIGKILL:
 * no exit handlers, no close): the child adds notes, the test kills it the
 * moment it reads "committed", then opens the database again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCOPE = 'guild:123456789012345678';
const VIEWER = '876543210987654321';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the child and kills it with SIGKILL once it has printed `killAfter` commits; resolves with the ids it reported. */
function addThenKill(dataDir: string, count: number, killAfter: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/store-child.ts', dataDir, String(count)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const ids: number[] = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never reported ${killAfter} commits: ${stderr}`));
    }, 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match !== null) ids.push(Number(match[1]));
      }
      if (ids.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the child exited on its own (${signal ?? _code}): ${stderr}`));
      else resolve(ids);
    });
  });
}

describe('a committed note survives SIGKILL', () => {
  it('one note, killed as soon as it is acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footnote-durability-'));
    dirs.push(dir);
    const [id] = await addThenKill(dir, 1, 1);
    expect(id).toBeTypeOf('number');
    const store = new SqliteStore(dir);
    expect(await store.notes.get(SCOPE, id as number)).toMatchObject({ id, text: 'note 0', authorId: VIEWER });
    await store.close();
  });

  it('a stream of notes, killed mid-write: every acknowledged one is there, and the file opens cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footnote-durability-'));
    dirs.push(dir);
    const ids = await addThenKill(dir, 100_000, 300);
    expect(ids.length).toBeGreaterThanOrEqual(300);
    // Opening runs the integrity check; a torn write would be refused here.
    const store = new SqliteStore(dir);
    for (const id of ids) expect(await store.notes.get(SCOPE, id), `note ${id}`).toBeDefined();
    const { total } = await store.notes.list({ scope: SCOPE, viewerId: VIEWER, limit: 1 });
    expect(total).toBeGreaterThanOrEqual(ids.length);
    await store.close();
  });
});
