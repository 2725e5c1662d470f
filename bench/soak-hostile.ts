/**
 * Soak scenarios from the hostile probe of issue #22: one member's flood,
 * two gateway processes on one token, a replayed signed request, and the
 * shared database out of reach. Each returns the figures its row prints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess } from '../tests/support/bot-process.ts';
import { FakeDiscord, makeUser, type CommandOptionValue } from '../tests/support/fake-discord.ts';
import { HttpDiscord, InteractionKeys, post, WorkerProcess } from '../tests/support/http-interactions.ts';
import { workerBehindProxy } from '../tests/support/tcp-proxy.ts';
import { flood, type FloodFigures } from './soak-load.ts';

const noteAdd = (paragraph: number, text: string) =>
  [{ name: 'add', type: 1, options: [{ name: 'paragraph', type: 4, value: paragraph }, { name: 'text', type: 3, value: text }] }] as unknown as CommandOptionValue[];

/** 20,000 /note add from one member (as the probe), memory read before, at the peak and `afterMs` after. */
export async function memberFlood(count: number, afterMs: number): Promise<FloodFigures> {
  const fake = await FakeDiscord.start();
  const bot = await BotProcess.start(fake);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return await flood(fake, { pid: bot.child.pid as number, logLines: () => bot.logs.length }, count, 600, 200, afterMs);
  } finally {
    bot.kill();
    await fake.close();
  }
}

export interface GatewayFigures {
  notes: number;
  handledByFirst: number;
  handledBySecond: number;
  takeoverMs: number;
}

/** Two bots on one token and store: `count` /note add, then the first is killed and the second answers. */
export async function twoGateways(count: number): Promise<GatewayFigures> {
  const fake = await FakeDiscord.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'footnote-soak-lease-'));
  const env = { DATA_DIR: dataDir };
  const first = await BotProcess.start(fake, env);
  const second = BotProcess.launch(fake, env);
  try {
    await second.waitForLog((line) => String(line.msg).includes('standing by'), 15_000);
    for (let i = 0; i < count; i += 1) await fake.answerTo(fake.sendSlash('note', noteAdd(3, `note ${i}`), { user: makeUser(`writer${i}`) }));
    const handled = (bot: BotProcess) => bot.logs.filter((line) => line.msg === 'handled' && line.command === 'note').length;
    await first.waitForLogs((line) => line.msg === 'handled' && line.command === 'note', count, 10_000);
    const handledByFirst = handled(first);
    const handledBySecond = handled(second);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await second.waitForLog((line) => line.msg === 'connected to Discord', 30_000);
    const takeoverMs = Date.now() - killedAt;
    const listed = await fake.answerTo(fake.sendSlash('note', [{ name: 'list', type: 1, options: [] }] as unknown as CommandOptionValue[], { user: makeUser('reader') }));
    const notes = Number(/of (\d+), newest first/.exec(JSON.stringify(listed.data))?.[1] ?? 0);
    return { notes, handledByFirst, handledBySecond, takeoverMs };
  } finally {
    first.kill();
    second.kill();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One signed /note add sent `times` times to two workers sharing a store: the HTTP statuses and the notes made. */
export async function replays(times: number): Promise<{ statuses: number[]; notes: number }> {
  const fake = await FakeDiscord.start();
  const keys = new InteractionKeys();
  const discord = await HttpDiscord.start(fake, keys);
  const dataDir = mkdtempSync(join(tmpdir(), 'footnote-soak-replay-'));
  const env = { DISCORD_API_URL: discord.apiUrl, DATA_DIR: dataDir };
  const workers = await Promise.all([WorkerProcess.start(keys, env), WorkerProcess.start(keys, env)]);
  try {
    const sent = fake.sendSlash('note', noteAdd(2, 'replayed'), { user: makeUser('rex') });
    const body = JSON.stringify(await discord.payload(sent));
    const headers = keys.headers(body);
    const statuses: number[] = [];
    for (let i = 0; i < times; i += 1) statuses.push((await post((workers[i % 2] as WorkerProcess).url, body, headers)).status);
    const listed = fake.sendSlash('note', [{ name: 'list', type: 1, options: [] }] as unknown as CommandOptionValue[], { user: makeUser('sue') });
    await discord.deliver(listed, (workers[0] as WorkerProcess).url);
    const data = JSON.stringify((await fake.answerTo(listed, 8_000)).data);
    return { statuses, notes: (data.match(/replayed/g) ?? []).length };
  } finally {
    for (const worker of workers) worker.kill();
    await discord.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface OutageFigures {
  requests: number;
  plain: number;
  questionsAnswered: number;
  warnings: number;
  healthDuring: string;
  healthAfter: string;
  recovered: boolean;
}

/** An HTTP worker on Postgres whose line is cut for `outageMs` while members use notes and quizzes. */
export async function outage(databaseUrl: string, outageMs: number): Promise<OutageFigures> {
  const setup = await workerBehindProxy(databaseUrl);
  const { fake, discord, worker, proxy } = setup;
  const health = async () => {
    const response = await fetch(`${worker.healthUrl}/healthz`);
    return `${response.status} ${String(((await response.json()) as { status: string }).status)}`;
  };
  const through = async (name: string, options: CommandOptionValue[], user: string) => {
    const sent = fake.sendSlash(name, options, { user: makeUser(user) });
    await discord.deliver(sent, worker.url);
    return JSON.stringify((await fake.answerTo(sent, 8_000)).data);
  };
  try {
    proxy.down();
    const ends = Date.now() + outageMs;
    let requests = 0;
    let plain = 0;
    let questionsAnswered = 0;
    for (let i = 0; Date.now() < ends; i += 1) {
      const user = `member${i}`;
      const answers = [
        await through('note', noteAdd(4, 'during'), user),
        await through('note', [{ name: 'list', type: 1, options: [] }] as unknown as CommandOptionValue[], user),
        await through('quiz', [{ name: 'scores', type: 1, options: [] }] as unknown as CommandOptionValue[], user),
      ];
      requests += answers.length;
      plain += answers.filter((text) => text.includes('database cannot be reached')).length;
      if ((await through('ask', [{ name: 'question', type: 3, value: 'Why did Iran refuse the oil freeze?' }], `asker${i}`)).includes('(¶7)')) questionsAnswered += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const healthDuring = await health();
    const warnings = worker.logs.filter((line) => line.level === 40).length;
    proxy.up();
    const recovered = (await through('note', noteAdd(4, 'after'), 'late')).includes('Note #');
    return { requests, plain, questionsAnswered, warnings, healthDuring, healthAfter: await health(), recovered };
  } finally {
    await setup.close();
  }
}
