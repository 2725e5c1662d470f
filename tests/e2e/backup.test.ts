/**
 * `npm run backup -- FILE` as a user runs it, beside a bot that keeps its
 * database open: one line on success, an existing file never replaced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile, SqliteStore } from '../../src/store/sqlite.ts';
import { guildScope } from '../../src/store/types.ts';

const GUILD_A = guildScope('111111111111111111');
const ALICE = '333333333333333333';
const ROOT = join(import.meta.dirname, '..', '..');
const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-backup-test-'));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function databaseWithNotes(notes: number): Promise<string> {
  const dir = temporaryDir();
  const store = new SqliteStore(dir);
  const note = { scope: GUILD_A, article: 'photosynthesis', authorId: ALICE, authorName: 'Alice', private: false };
  await store.importNotes(Array.from({ length: notes }, (_, i) => ({ ...note, paragraph: 1 + (i % 9), text: `note ${i} `.repeat(20), createdAt: 1000 + i })));
  await store.close();
  return dir;
}

/** Runs `npm run backup -- FILE` as a user would (its script, under tsx). */
function runBackup(target: string, dataDir: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/backup.ts', target], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 15_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run backup', () => {
  it('npm run backup: one line on success, refuses an existing file, fails cleanly without a database', async () => {
    const dataDir = await databaseWithNotes(4);
    // The bot keeps its connection open meanwhile.
    const running = new SqliteStore(dataDir);
    const target = join(temporaryDir(), 'copy.db');
    const done = runBackup(target, dataDir);
    expect(done.code).toBe(0);
    expect(done.stdout.trim().split('\n')).toHaveLength(1);
    expect(done.stdout).toContain(target);

    const before = readFileSync(target);
    const again = runBackup(target, dataDir);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toMatch(/^Backup failed: .*already exists/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(target).equals(before)).toBe(true);
    await running.close();

    const copyDir = temporaryDir();
    writeFileSync(databaseFile(copyDir), before);
    const copy = new SqliteStore(copyDir, { readonly: true });
    expect((await copy.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 })).total).toBe(4);
    await copy.close();

    const missingTarget = join(temporaryDir(), 'none.db');
    const missing = runBackup(missingTarget, join(temporaryDir(), 'empty'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/^Backup failed: there is no database/);
    expect(existsSync(missingTarget)).toBe(false);
    const memory = runBackup(missingTarget, ':memory:');
    expect(memory.code).not.toBe(0);
    expect(memory.stderr.trim()).toMatch(/^Backup failed: DATA_DIR is :memory:/);
  });
});
