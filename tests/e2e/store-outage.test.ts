/**
 * The shared Postgres out of reach (the line to it cut by a proxy, the server
 * itself left running for other tests): an HTTP worker says so plainly for
 * reads and writes alike, still answers questions, reports "degraded" on
 * /healthz with a 503, warns about it once rather than once a request, and
 * recovers by itself when the line is back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeUser, type CommandOptionValue, type FakeDiscord, type SentInteraction } from '../support/fake-discord.ts';
import type { HttpDiscord, WorkerProcess } from '../support/http-interactions.ts';
import { describePostgres } from '../support/postgres.ts';
import { workerBehindProxy, type TcpProxy, type WorkerBehindProxy } from '../support/tcp-proxy.ts';

interface Message {
  content?: string;
  embeds?: { title?: string; description?: string }[];
}

const UNREACHABLE = /Footnote’s database cannot be reached at the moment/;

describePostgres('the database out of reach', (url) => {
  let setup: WorkerBehindProxy;
  let fake: FakeDiscord;
  let discord: HttpDiscord;
  let worker: WorkerProcess;
  let proxy: TcpProxy;

  beforeAll(async () => {
    setup = await workerBehindProxy(url);
    ({ fake, discord, worker, proxy } = setup);
  }, 60_000);

  afterAll(async () => {
    await setup?.close();
  });

  const int = (name: string, value: number): CommandOptionValue => ({ name, type: 4, value });
  const str = (name: string, value: string): CommandOptionValue => ({ name, type: 3, value });
  const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];
  const said = (message: Message) => `${message.content ?? ''}${message.embeds?.[0]?.title ?? ''}\n${message.embeds?.[0]?.description ?? ''}`;

  async function through(sent: SentInteraction): Promise<Message> {
    await discord.deliver(sent, worker.url);
    return (await fake.answerTo(sent, 8_000)).data as Message;
  }

  const healthz = async () => {
    const response = await fetch(`${worker.healthUrl}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('says so plainly, answers questions, reports degraded, warns once, and recovers', async () => {
    expect(said(await through(fake.sendSlash('note', sub('add', [int('paragraph', 4), str('text', 'before the outage')]), { user: makeUser('amy') })))).toMatch(/^Note #\d+ on ¶4/);
    expect((await healthz()).status).toBe(200);

    proxy.down();
    const users = ['bea', 'cal', 'dan', 'eli', 'fay', 'gus', 'hal', 'ida'].map((name) => makeUser(name));
    for (const user of users) {
      expect(said(await through(fake.sendSlash('note', sub('list', [int('paragraph', 4)]), { user })))).toMatch(UNREACHABLE);
      expect(said(await through(fake.sendSlash('note', sub('add', [int('paragraph', 4), str('text', 'during')]), { user })))).toMatch(UNREACHABLE);
      expect(said(await through(fake.sendSlash('quiz', sub('scores'), { user })))).toMatch(UNREACHABLE);
    }
    const answered = await through(fake.sendSlash('ask', [str('question', 'Why did Iran refuse the oil freeze?')], { user: makeUser('jo') }));
    expect(said(answered)).toContain('(¶7)');
    expect(await healthz()).toEqual({ status: 503, body: { status: 'degraded', gateway: 'off', store: 'postgres', storeReachable: false } });
    // Once each cause, not once each request: 25 requests met the outage.
    const warnings = worker.logs.filter((line) => line.level === 40).map((line) => String(line.msg));
    expect(warnings.filter((message) => message.includes('cannot be reached'))).toHaveLength(1);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(worker.logs.filter((line) => line.level >= 50)).toEqual([]);

    proxy.up();
    const after = await through(fake.sendSlash('note', sub('list', [int('paragraph', 4)]), { user: makeUser('kai') }));
    expect(said(after)).toContain('before the outage');
    expect(said(after)).not.toContain('during');
    expect((await healthz()).body).toMatchObject({ status: 'ok', storeReachable: true });
  }, 60_000);
});
