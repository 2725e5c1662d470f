/**
 * The HTTP interactions endpoint end to end: the real entry point started as
 * workers (DISCORD_PUBLIC_KEY and INTERACTIONS_PORT, no DISCORD_TOKEN), sent
 * interactions the fake Discord made, signed with a key pair made here; the
 * HTTP response goes back to the fake as the callback, and webhook edits reach
 * it through DISCORD_API_URL, so its rules (one response, within 3 s, webhook
 * only after it) hold for HTTP as for the gateway. Two workers share one
 * SQLite folder behind a round-robin balancer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, makeUser, type CommandOptionValue, type SentInteraction } from '../support/fake-discord.ts';
import { HttpDiscord, InteractionKeys, post, RoundRobin, WorkerProcess } from '../support/http-interactions.ts';

interface Message {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
  allowed_mentions?: unknown;
}

const EPHEMERAL = 64;

let fake: FakeDiscord;
let discord: HttpDiscord;
let keys: InteractionKeys;
let dataDir: string;
let first: WorkerProcess;
let second: WorkerProcess;
let balancer: RoundRobin;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  keys = new InteractionKeys();
  discord = await HttpDiscord.start(fake, keys);
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-http-e2e-'));
  const env = { DISCORD_API_URL: discord.apiUrl, DATA_DIR: dataDir, FOOTNOTE_FAULTS: 'slow=SNAIL' };
  [first, second] = await Promise.all([WorkerProcess.start(keys, env), WorkerProcess.start(keys, env)]);
  balancer = await RoundRobin.start([first.port, second.port]);
}, 60_000);

afterAll(async () => {
  first?.kill();
  second?.kill();
  await balancer?.close();
  await discord?.close();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const str = (name: string, value: string): CommandOptionValue => ({ name, type: 3, value });
const int = (name: string, value: number): CommandOptionValue => ({ name, type: 4, value });
const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];

const description = (message: Message) => message.embeds?.[0]?.description ?? '';
const buttons = (message: Message) => (message.components ?? []).flatMap((row) => row.components);

/** Sends a fake-made interaction to `endpoint` and returns what the user finally sees. */
async function through(endpoint: string, sent: SentInteraction): Promise<{ http: number; type: number; data: Message }> {
  const http = await discord.deliver(sent, endpoint);
  const seen = await fake.answerTo(sent, 8_000);
  return { http: http.status, type: seen.type, data: seen.data as Message };
}

describe('signatures', () => {
  it('answers a signed PING with PONG', async () => {
    const body = JSON.stringify({ type: 1 });
    const answer = await post(first.url, body, keys.headers(body));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ type: 1 });
  });

  it('refuses a missing, forged or tampered signature with 401', async () => {
    const body = JSON.stringify({ type: 1 });
    expect((await post(first.url, body, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(first.url, body, new InteractionKeys().headers(body))).status).toBe(401);
    const signed = keys.headers(body);
    expect((await post(first.url, JSON.stringify({ type: 1, extra: true }), signed)).status).toBe(401);
    expect((await post(first.url, body, { ...signed, 'x-signature-ed25519': 'zz'.repeat(64) })).status).toBe(401);
    expect((await post(first.url, body, { ...signed, 'x-signature-timestamp': `${signed['x-signature-timestamp']}0` })).status).toBe(401);
  });

  it('refuses a correctly signed request more than 5 minutes old, or from the future, with 401', async () => {
    const body = JSON.stringify({ type: 1 });
    expect((await post(first.url, body, keys.headers(body, Date.now() - 5 * 60_000 - 5_000))).status).toBe(401);
    expect((await post(first.url, body, keys.headers(body, Date.now() + 10 * 60_000))).status).toBe(401);
    // Well inside the window it is fine.
    expect((await post(first.url, body, keys.headers(body, Date.now() - 60_000))).status).toBe(200);
  });
});

describe('replays', () => {
  it('runs a replayed signed request once, on either worker, and refuses the copies with 409', async () => {
    const user = makeUser('rex');
    const sent = fake.sendSlash('note', [{ name: 'add', type: 1, options: [{ name: 'paragraph', type: 4, value: 2 }, { name: 'text', type: 3, value: 'replayed note' }] }] as unknown as CommandOptionValue[], { user });
    const body = JSON.stringify(await discord.payload(sent));
    const headers = keys.headers(body);
    expect((await post(first.url, body, headers)).status).toBe(200);
    expect((await post(first.url, body, headers)).status).toBe(409);
    expect((await post(second.url, body, keys.headers(body))).status).toBe(409);
    const listed = await through(second.url, fake.sendSlash('note', [{ name: 'list', type: 1, options: [{ name: 'paragraph', type: 4, value: 2 }] }] as unknown as CommandOptionValue[], { user: makeUser('sue') }));
    expect(JSON.stringify(listed.data).match(/replayed note/g)).toHaveLength(1);
  });
});

describe('slow senders', () => {
  it('cuts off a sender that stalls in the headers or the body at the 10 s limit, not later', async () => {
    const { port } = new URL(first.url);
    const hold = (partial: string) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(partial));
        socket.on('error', () => undefined);
        // Read what the server says (its 408), so the socket's end is seen.
        socket.resume();
        socket.on('close', () => resolve(Date.now() - started));
      });
    const [headers, body] = await Promise.all([
      hold('POST /interactions HTTP/1.1\r\nHost: x\r\nX-Slow: '),
      hold('POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ty'),
    ]);
    for (const heldMs of [headers, body]) {
      expect(heldMs).toBeGreaterThanOrEqual(9_000);
      expect(heldMs).toBeLessThan(12_500);
    }
  }, 20_000);
});

describe('bad requests', () => {
  it('answers oversize bodies 413, malformed or non-interaction JSON 400, other routes 404/405, and keeps serving', async () => {
    const big = JSON.stringify({ type: 1, padding: 'x'.repeat(70 * 1024) });
    expect((await post(first.url, big, keys.headers(big))).status).toBe(413);
    const unknownType = '{"type":99,"id":"1","token":"t","application_id":"1","data":{}}';
    for (const body of ['{"type": 1,', 'not json', '[1,2,3]', '{"type":2}', '{"type":"2","id":"1","token":"t","application_id":"1","data":{}}', unknownType]) {
      const answer = await post(first.url, body, keys.headers(body));
      expect(answer.status, body).toBe(400);
      expect(answer.json).toMatchObject({ error: expect.any(String) });
    }
    expect((await fetch(first.url)).status).toBe(405);
    const ping = JSON.stringify({ type: 1 });
    expect((await post(first.url.replace('/interactions', '/other'), ping, keys.headers(ping))).status).toBe(404);
    expect((await post(first.url, ping, keys.headers(ping))).json).toEqual({ type: 1 });
    expect(first.child.exitCode).toBeNull();
    expect(first.output).not.toMatch(/TypeError|RangeError|SyntaxError/);
  });
});

describe('commands and buttons', () => {
  it('answers /ask in the HTTP response (type 4), cited, pinging nobody; its button is answered too', async () => {
    const asker = makeUser('hana');
    const asked = await through(first.url, fake.sendSlash('ask', [str('question', 'Why are Russia and Iran not allies?')], { user: asker }));
    expect(asked.http).toBe(200);
    expect(asked.type).toBe(4);
    expect(description(asked.data)).toMatch(/\(¶\d+\)/);
    expect(asked.data.allowed_mentions).toEqual({ parse: [] });

    const full = buttons(asked.data).find((button) => button.label.startsWith('Full ¶'));
    expect(full, JSON.stringify(asked.data.components)).toBeDefined();
    const clicked = await through(first.url, fake.sendButton(full?.custom_id as string, { user: makeUser('ike') }));
    expect(clicked.type).toBe(4);
    expect(clicked.data.flags).toBe(EPHEMERAL);
    expect(clicked.data.embeds?.[0]?.title).toBe(full?.label.replace('Full ', ''));
    expect(clicked.data.allowed_mentions).toEqual({ parse: [] });
    await first.waitForLog((line) => line.msg === 'handled' && line.kind === 'button' && line.outcome === 'answered');
  });

  it('opens a modal in the HTTP response (type 9) and saves what is submitted; suggests questions (type 8)', async () => {
    const writer = makeUser('ivy');
    const opened = await through(first.url, fake.sendSlash('note', sub('add', [int('paragraph', 7)]), { user: writer }));
    expect(opened.type).toBe(9);
    const modal = opened.data as unknown as { custom_id: string };
    const saved = await through(first.url, fake.sendModalSubmit(modal.custom_id, { text: 'typed in the form' }, { user: writer }));
    expect(saved.data.embeds?.[0]?.title).toMatch(/^Note #\d+ on ¶7$/);

    const suggested = await through(first.url, fake.sendAutocomplete('ask', [{ name: 'question', type: 3, value: 'why', focused: true }], { user: makeUser('jay') }));
    expect(suggested.type).toBe(8);
    const { choices } = suggested.data as unknown as { choices: { name: string }[] };
    expect(choices.length).toBeGreaterThan(0);
  });

  it('defers a slow answer in the HTTP response (type 5), then edits it through the webhook', async () => {
    const sent = fake.sendSlash('ask', [str('question', 'SNAIL Why are Russia and Iran not allies?')], { user: makeUser('jo') });
    const started = Date.now();
    const http = await discord.deliver(sent, first.url);
    expect(http.json).toEqual({ type: 5, data: {} });
    expect(Date.now() - started).toBeLessThan(2_500);
    const seen = await fake.answerTo(sent, 8_000);
    expect(seen.type).toBe(5);
    expect(description(seen.data as Message)).toMatch(/\(¶\d+\)/);
    expect((seen.data as Message).allowed_mentions).toEqual({ parse: [] });
    expect(seen.calls.map((call) => `${call.method} ${call.status}`)).toEqual(['POST 204', 'PATCH 200']);
    expect(discord.restCalls.some((call) => call.method === 'PATCH' && call.path.includes(`/webhooks/${fake.applicationId}/`))).toBe(true);
    await first.waitForLog((line) => line.msg === 'handled' && line.outcome === 'deferred');
  });

  it('sends a file (/note export) by deferring, then attaching it to the webhook edit', async () => {
    const writer = makeUser('kit');
    const added = await through(first.url, fake.sendSlash('note', sub('add', [int('paragraph', 4), str('text', 'exported through HTTP')]), { user: writer }));
    expect(added.type).toBe(4);
    const sent = fake.sendSlash('note', sub('export'), { user: writer });
    const http = await discord.deliver(sent, first.url);
    expect((http.json as { type: number }).type).toBe(5);
    const seen = await fake.answerTo(sent, 8_000);
    const edit = seen.calls.find((call) => call.method === 'PATCH');
    expect(edit?.status).toBe(200);
    expect(edit?.files).toHaveLength(1);
    expect(edit?.files[0]?.name).toMatch(/^notes-.+\.md$/);
    expect(edit?.files[0]?.text).toContain('exported through HTTP');
    expect((seen.data as Message).allowed_mentions).toEqual({ parse: [] });
  });
});

describe('two workers behind a round-robin balancer, one SQLite folder', () => {
  it('lists through one worker a note written through the other', async () => {
    const before = balancer.served.length;
    const added = await through(balancer.url, fake.sendSlash('note', sub('add', [int('paragraph', 6), str('text', 'written on one worker')]), { user: makeUser('lea') }));
    expect(added.data.embeds?.[0]?.title).toMatch(/^Note #\d+ on ¶6$/);
    const listed = await through(balancer.url, fake.sendSlash('note', sub('list', [int('paragraph', 6)]), { user: makeUser('max') }));
    expect(description(listed.data)).toContain('written on one worker');
    const [writer, reader] = balancer.served.slice(before);
    expect(new Set([writer, reader])).toEqual(new Set([0, 1]));
  });

  it('answers on one worker a button made by the other', async () => {
    const asked = await through(balancer.url, fake.sendSlash('ask', [str('question', 'Who is Velayati?')], { user: makeUser('ned') }));
    const full = buttons(asked.data).find((button) => button.label.startsWith('Full ¶'));
    expect(full).toBeDefined();
    const clicked = await through(balancer.url, fake.sendButton(full?.custom_id as string, { user: makeUser('ola') }));
    expect(clicked.data.embeds?.[0]?.title).toBe(full?.label.replace('Full ', ''));
    const served = balancer.served.slice(-2);
    expect(served[0]).not.toBe(served[1]);
  });

  it('sent every REST call to DISCORD_API_URL, and Discord refused none', () => {
    expect(discord.restCalls.length).toBeGreaterThan(0);
    expect(discord.restCalls.every((call) => call.path.startsWith('/api/v10/'))).toBe(true);
    expect(fake.refusedCalls()).toEqual([]);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});
