/**
 * Health and metrics on HTTP_PORT, from the real entry point: an interactions
 * worker (no gateway) counting what it handles, and the gateway bot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser } from '../support/fake-discord.ts';
import { HttpDiscord, InteractionKeys, post, WorkerProcess } from '../support/http-interactions.ts';

/** The value of one sample line, e.g. `footnote_interactions_total{kind="slash",outcome="answered"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('an interactions worker with HTTP_PORT', () => {
  let fake: FakeDiscord;
  let discord: HttpDiscord;
  let worker: WorkerProcess;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    discord = await HttpDiscord.start(fake);
    worker = await WorkerProcess.start(discord.keys, { DISCORD_API_URL: discord.apiUrl, HTTP_PORT: '0' });
  }, 30_000);

  afterAll(async () => {
    worker?.kill();
    await discord?.close();
    await fake?.close();
  });

  it('listens on loopback by default', () => {
    const line = worker.logs.find((candidate) => candidate.msg === 'health and metrics listening');
    expect(line?.host).toBe('127.0.0.1');
  });

  it('GET /healthz: 200, no gateway to wait for, the kind of store', async () => {
    const response = await fetch(`${worker.healthUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok', gateway: 'off', store: 'memory', storeReachable: true });
  });

  it('GET /metrics: Prometheus text counting interactions by kind and outcome, with their latency', async () => {
    const ask = fake.sendSlash('ask', [{ name: 'question', type: 3, value: 'Who is Velayati?' }], { user: makeUser('pia') });
    expect((await discord.deliver(ask, worker.url)).status).toBe(200);
    const forged = fake.sendButton('fn1:zz:nothing', { user: makeUser('quy') });
    await discord.deliver(forged, worker.url);
    await worker.waitForLog((line) => line.msg === 'handled' && line.kind === 'button');

    const response = await fetch(`${worker.healthUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'footnote_interactions_total{kind="slash",outcome="answered"}')).toBe(1);
    expect(sample(text, 'footnote_interactions_total{kind="button",outcome="invalid-button"}')).toBe(1);
    expect(sample(text, 'footnote_interaction_latency_seconds_count{kind="slash"}')).toBe(1);
    expect(sample(text, 'footnote_gateway_state{state="off"}')).toBe(1);
    expect(sample(text, 'footnote_store_errors_total{reason="full"}')).toBe(0);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('answers 404 to anything else', async () => {
    expect((await fetch(`${worker.healthUrl}/`)).status).toBe(404);
    expect((await fetch(`${worker.healthUrl}/healthz/extra`)).status).toBe(404);
    expect((await post(`${worker.healthUrl}/healthz`, '{}', { 'content-type': 'application/json' })).status).toBe(404);
  });

  it('refuses a port already in use with a clear configuration error', async () => {
    const taken = new URL(worker.healthUrl).port;
    const clash = WorkerProcess.start(new InteractionKeys(), { HTTP_PORT: taken });
    await expect(clash).rejects.toThrow(/exited with 1[\s\S]*Footnote cannot start\. Configuration error:\n {2}- HTTP_PORT: 127\.0\.0\.1:\d+ is already in use/);
  });
});

describe('the gateway bot with HTTP_PORT', () => {
  let fake: FakeDiscord;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    bot = await BotProcess.start(fake, { HTTP_PORT: '0' });
  }, 30_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
  });

  it('serves /healthz and /metrics beside the bot', async () => {
    const port = Number(bot.logs.find((line) => line.msg === 'health and metrics listening')?.port);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    // The gateway transport reports its state (trackGateway): connected, so ready.
    expect(await response.json()).toEqual({ status: 'ok', gateway: 'ready', store: 'memory', storeReachable: true });
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('footnote_gateway_state{state="ready"} 1');
  });

  it('counts the interactions, DMs and mentions it handles in /metrics', async () => {
    const port = Number(bot.logs.find((line) => line.msg === 'health and metrics listening')?.port);
    const ask = fake.sendSlash('ask', [{ name: 'question', type: 3, value: 'Who is Velayati?' }], { user: makeUser('ria') });
    await fake.answerTo(ask);
    const dm = fake.sendMessage('who is Velayati?', { user: makeUser('sam'), in: 'dm' });
    await fake.replyTo(dm.id);
    await bot.waitForLog((line) => line.msg === 'handled' && line.kind === 'dm');

    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(text, 'footnote_interactions_total{kind="slash",outcome="answered"}')).toBe(1);
    expect(sample(text, 'footnote_interactions_total{kind="dm",outcome="answered"}')).toBe(1);
    expect(sample(text, 'footnote_interaction_latency_seconds_count{kind="slash"}')).toBe(1);
  });

  it('reports the gateway ready again once a dropped connection resumes', async () => {
    const port = Number(bot.logs.find((line) => line.msg === 'health and metrics listening')?.port);
    const resumedBefore = bot.logs.filter((line) => line.msg === 'gateway resumed').length;
    fake.dropGateway();
    await bot.waitForLogs((line) => line.msg === 'gateway resumed', resumedBefore + 1, 15_000);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ gateway: 'ready' });
  });

  it('exits 0 on SIGTERM with them', async () => {
    const { code } = await bot.signal('SIGTERM');
    expect(code).toBe(0);
  });
});
