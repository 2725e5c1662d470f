/**
 * Two bot processes started for one application on one store (a deployer's
 * slip, or a restart that overlaps the old process): the second stands by
 * instead of answering every interaction a second time, and takes over when
 * the first dies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type CommandOptionValue } from '../support/fake-discord.ts';

let fake: FakeDiscord;
let first: BotProcess;
let second: BotProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-lease-'));
}, 30_000);

afterAll(async () => {
  first?.kill();
  second?.kill();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];
const handledNotes = (bot: BotProcess) => bot.logs.filter((line) => line.msg === 'handled' && line.command === 'note').length;

it('a second process stands by, handles nothing twice, and takes over when the first is killed (at once: its pid is gone)', async () => {
  const env = { DATA_DIR: dataDir, FOOTNOTE_GATEWAY_LEASE_MS: '1500' };
  first = await BotProcess.start(fake, env);
  second = BotProcess.launch(fake, env);
  await second.waitForLog((line) => String(line.msg).includes('standing by'), 15_000);

  for (let i = 0; i < 10; i += 1) {
    const sent = fake.sendSlash('note', sub('add', [{ name: 'paragraph', type: 4, value: 3 }, { name: 'text', type: 3, value: `note ${i}` }]), { user: makeUser(`writer${i}`) });
    expect(JSON.stringify((await fake.answerTo(sent)).data)).toMatch(/Note #\d+ on ¶3/);
  }
  // Each answer is logged just after it is sent.
  await first.waitForLogs((line) => line.msg === 'handled' && line.command === 'note', 10);
  expect(handledNotes(first)).toBe(10);
  expect(handledNotes(second)).toBe(0);

  first.child.kill('SIGKILL');
  await second.waitForLog((line) => String(line.msg).startsWith('the other process stopped: taking over'), 10_000);
  await second.waitForLog((line) => line.msg === 'connected to Discord', 15_000);
  const listed = await fake.answerTo(fake.sendSlash('note', sub('list', [{ name: 'paragraph', type: 4, value: 3 }]), { user: makeUser('reader') }));
  expect(JSON.stringify(listed.data)).toContain('1–8 of 10, newest first');
  await second.waitForLogs((line) => line.msg === 'handled' && line.command === 'note', 1);
  expect(handledNotes(second)).toBe(1);
}, 60_000);
