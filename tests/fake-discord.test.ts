/**
 * The fake Discord itself, driven by raw HTTP requests and a raw gateway
 * socket (no bot): it must be as strict as Discord, or the bot's tests prove
 * less than they seem to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, makeUser, PERMISSIONS, type Place, type SentInteraction, type StoredMessage } from './support/fake-discord.ts';

interface GatewayPayload {
  op: number;
  t?: string | null;
  s?: number | null;
  d: Record<string, unknown> | null;
}

/** A bare gateway client: what discord.js does, step by step. */
class Gateway {
  readonly received: GatewayPayload[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.received.push(JSON.parse(raw.toString()) as GatewayPayload);
      for (const listener of [...this.listeners]) listener();
    });
  }

  static async connect(fake: FakeDiscord): Promise<Gateway> {
    const gateway = new Gateway(new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`));
    await gateway.next((payload) => payload.op === 10);
    return gateway;
  }

  send(payload: GatewayPayload): void {
    this.socket.send(JSON.stringify(payload));
  }

  /** The first payload received that matches, waiting for it if need be. */
  next(match: (payload: GatewayPayload) => boolean, timeoutMs = 2_000): Promise<GatewayPayload> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(match);
        if (!found) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error('gateway: timed out'));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  event(name: string): Promise<GatewayPayload> {
    return this.next((payload) => payload.t === name);
  }

  /** Dispatches received, in order. */
  get dispatches(): GatewayPayload[] {
    return this.received.filter((payload) => payload.op === 0);
  }

  get lastSeq(): number {
    return Math.max(0, ...this.dispatches.map((payload) => payload.s ?? 0));
  }

  close(): void {
    this.socket.terminate();
  }
}

let fake: FakeDiscord;
let gateway: Gateway;

beforeEach(async () => {
  fake = await FakeDiscord.start();
  gateway = await Gateway.connect(fake);
  gateway.send({ op: 2, d: { token: 'test-token', intents: 4609, properties: {} } });
  await gateway.event('GUILD_CREATE');
});

afterEach(async () => {
  gateway.close();
  await fake.close();
});

interface Reply {
  status: number;
  json: Record<string, unknown> & { code?: number; message?: string; errors?: Record<string, unknown> };
}

/** A raw REST call, as the bot's client would make it. */
async function api(method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method, headers: { authorization: 'Bot test-token' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await fetch(`${fake.apiUrl}/v10${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Reply['json']) };
}

const callback = (interaction: SentInteraction, body: unknown, query = '') => api('POST', `/interactions/${interaction.id}/${interaction.token}/callback${query}`, body);
const webhook = (interaction: SentInteraction, method: string, suffix = '', body?: unknown) => api(method, `/webhooks/${fake.applicationId}/${interaction.token}${suffix}`, body);

function multipart(payload: unknown, files: Record<string, string>): FormData {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  Object.entries(files).forEach(([name, text], index) => form.append(`files[${index}]`, new Blob([text], { type: 'text/plain' }), name));
  return form;
}

const ana = (): Place => ({ user: makeUser('ana') });
const row = (...components: unknown[]) => ({ type: 1, components });
const button = (customId: string, label = 'Go') => ({ type: 2, style: 1, custom_id: customId, label });

/** The INTERACTION_CREATE the gateway delivered for `interaction`. */
async function delivered(interaction: SentInteraction): Promise<Record<string, unknown>> {
  const payload = await gateway.next((candidate) => candidate.t === 'INTERACTION_CREATE' && candidate.d?.id === interaction.id);
  return payload.d as Record<string, unknown>;
}

describe('interaction callbacks', () => {
  it('accept one callback; a second gets 400 40060, and both are recorded', async () => {
    const sent = fake.sendSlash('ask', [], ana());
    expect((await callback(sent, { type: 4, data: { content: 'hi' } })).status).toBe(204);
    const again = await callback(sent, { type: 4, data: { content: 'hi again' } });
    expect(again).toEqual({ status: 400, json: { code: 40060, message: 'Interaction has already been acknowledged.' } });
    expect(fake.callsFor(sent).map((call) => call.status)).toEqual([204, 400]);
    expect(fake.refusedCalls().at(-1)?.response).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
    // A modal can only come first: after a deferral it is a second callback too.
    const deferred = fake.sendSlash('ask', [], ana());
    await callback(deferred, { type: 5 });
    expect((await callback(deferred, { type: 9, data: { custom_id: 'm', title: 'T', components: [row({ type: 4, custom_id: 'a', label: 'A', style: 1 })] } })).json.code).toBe(40060);
  });

  it('refuse a callback more than 3 s after the interaction was created, and unknown ids or tokens, with 404 10062', async () => {
    const late = fake.sendSlash('ask', [], ana());
    fake.advanceClock(3_001);
    expect(await callback(late, { type: 4, data: { content: 'late' } })).toEqual({ status: 404, json: { code: 10062, message: 'Unknown interaction' } });
    // The clock counts from the creation time the snowflake encodes.
    const fresh = fake.sendSlash('ask', [], ana());
    expect(Number(BigInt(fresh.id) >> 22n) + 1_420_070_400_000).toBe(fresh.createdAt);
    expect((await callback({ ...fresh, token: 'interaction-token-forged' }, { type: 4, data: { content: 'x' } })).json.code).toBe(10062);
    expect((await callback({ ...fresh, id: '12345' }, { type: 4, data: { content: 'x' } })).status).toBe(404);
    expect((await callback(fresh, { type: 4, data: { content: 'in time' } })).status).toBe(204);
  });

  it('open the webhook only after the callback, for 15 minutes', async () => {
    const sent = fake.sendSlash('ask', [], ana());
    const early = await webhook(sent, 'PATCH', '/messages/@original', { content: 'too soon' });
    expect(early).toEqual({ status: 404, json: { code: 10015, message: 'Unknown Webhook' } });
    expect((await webhook(sent, 'POST', '', { content: 'too soon' })).json.code).toBe(10015);

    await callback(sent, { type: 5 });
    const edited = await webhook(sent, 'PATCH', '/messages/@original', { content: 'the answer' });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ content: 'the answer', channel_id: fake.channelId, author: { id: fake.botUser.id } });
    const followUp = await webhook(sent, 'POST', '', { content: 'more' });
    expect(followUp.status).toBe(200);
    expect((await webhook(sent, 'GET', `/messages/${String(followUp.json.id)}`)).json.content).toBe('more');

    fake.advanceClock(15 * 60_000 + 1);
    expect((await webhook(sent, 'PATCH', '/messages/@original', { content: 'stale' })).json.code).toBe(10015);
    expect((await webhook(sent, 'POST', '', { content: 'stale' })).json.code).toBe(10015);
    expect(fake.callsFor(sent).map((call) => call.status)).toEqual([404, 404, 204, 200, 200, 200, 404, 404]);
  });

  it('answer with_response=true with the interaction and the message it made', async () => {
    const sent = fake.sendSlash('ask', [], ana());
    const reply = await callback(sent, { type: 4, data: { content: 'hello', flags: 64 } }, '?with_response=true');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      interaction: { id: sent.id, type: 2, response_message_ephemeral: true },
      resource: { type: 4, message: { content: 'hello', flags: 64, interaction_metadata: { id: sent.id } } },
    });
  });
});

describe('callback types', () => {
  const modal = (overrides: Record<string, unknown> = {}) => ({
    custom_id: 'note',
    title: 'Add a note',
    components: [row({ type: 4, custom_id: 'text', label: 'Note', style: 2 })],
    ...overrides,
  });

  it('allow each type only where Discord does (400 50035 otherwise)', async () => {
    const refusals: [string, () => SentInteraction, number][] = [
      ['deferred update on a command', () => fake.sendSlash('ask', [], ana()), 6],
      ['update on a command', () => fake.sendSlash('ask', [], ana()), 7],
      ['autocomplete result on a command', () => fake.sendSlash('ask', [], ana()), 8],
      ['message on autocomplete', () => fake.sendAutocomplete('ask', [], ana()), 4],
      ['modal on autocomplete', () => fake.sendAutocomplete('ask', [], ana()), 9],
      ['modal on a modal submit', () => fake.sendModalSubmit('note', { text: 'x' }, ana()), 9],
      ['autocomplete result on a button', () => fake.sendButton('b', ana()), 8],
      ['pong on a command', () => fake.sendSlash('ask', [], ana()), 1],
    ];
    for (const [what, send, type] of refusals) {
      const data = type === 9 ? modal() : type === 8 ? { choices: [] } : { content: 'x' };
      const reply = await callback(send(), { type, data });
      expect(reply.status, what).toBe(400);
      expect(reply.json.code, what).toBe(50035);
      expect(JSON.stringify(reply.json.errors), what).toContain('INTERACTION_CALLBACK_TYPE_INVALID');
    }
    // And a refused callback does not count as the acknowledgement.
    const command = fake.sendSlash('ask', [], ana());
    await callback(command, { type: 6 });
    expect((await callback(command, { type: 9, data: modal() })).status).toBe(204);
    expect((await callback(fake.sendAutocomplete('ask', [], ana()), { type: 8, data: { choices: [{ name: 'a', value: 'a' }] } })).status).toBe(204);
    expect((await callback(fake.sendButton('b', ana()), { type: 6 })).status).toBe(204);
    expect((await callback(fake.sendModalSubmit('note', { text: 'x' }, ana()), { type: 4, data: { content: 'saved' } })).status).toBe(204);
  });

  it('validate modals: custom_id ≤ 100, title ≤ 45, 1–5 rows of one text input with custom_id ≤ 100 and label ≤ 45', async () => {
    const input = (overrides: Record<string, unknown> = {}) => row({ type: 4, custom_id: 'text', label: 'Note', style: 1, ...overrides });
    const bad: [string, Record<string, unknown>, string][] = [
      ['long custom_id', modal({ custom_id: 'x'.repeat(101) }), 'custom_id'],
      ['long title', modal({ title: 'x'.repeat(46) }), 'title'],
      ['no title', modal({ title: undefined }), 'title'],
      ['no rows', modal({ components: [] }), 'components'],
      ['six rows', modal({ components: Array.from({ length: 6 }, (_, i) => input({ custom_id: `t${i}` })) }), 'components'],
      ['long label', modal({ components: [input({ label: 'x'.repeat(46) })] }), 'label'],
      ['long input custom_id', modal({ components: [input({ custom_id: 'x'.repeat(101) })] }), 'custom_id'],
      ['a button in a modal', modal({ components: [row(button('b'))] }), 'type'],
    ];
    for (const [what, data, field] of bad) {
      const reply = await callback(fake.sendSlash('note', [], ana()), { type: 9, data });
      expect(reply.status, what).toBe(400);
      expect(reply.json.code, what).toBe(50035);
      expect(JSON.stringify(reply.json.errors), what).toContain(`"${field}"`);
    }
    const limits = modal({ custom_id: 'x'.repeat(100), title: 'x'.repeat(45), components: Array.from({ length: 5 }, (_, i) => input({ custom_id: `${i}${'y'.repeat(99)}`, label: 'z'.repeat(45) })) });
    expect((await callback(fake.sendSlash('note', [], ana()), { type: 9, data: limits })).status).toBe(204);
    const labelled = modal({ components: [{ type: 18, label: 'Note', component: { type: 4, custom_id: 'text', style: 2 } }] });
    expect((await callback(fake.sendSlash('note', [], ana()), { type: 9, data: labelled })).status).toBe(204);
  });

  it('7 edits the stored message the button sits on; 6 then @original edits it too', async () => {
    const place = ana();
    const command = fake.sendSlash('ask', [], place);
    await callback(command, { type: 4, data: { content: 'page 1', components: [row(button('next'))] } });
    const [sentMessage] = fake.messagesIn(fake.channelId);

    const click = fake.sendButton('next', place);
    expect(click.messageId).toBe(sentMessage?.id);
    expect((await delivered(click)).message).toMatchObject({ id: sentMessage?.id, content: 'page 1', components: [row(button('next'))] });
    expect((await callback(click, { type: 7, data: { content: 'page 2' } })).status).toBe(204);
    expect(fake.storedMessage(sentMessage?.id ?? '')).toMatchObject({ content: 'page 2', components: [row(button('next'))] });

    const second = fake.sendButton('next', place);
    expect((await delivered(second)).message).toMatchObject({ id: sentMessage?.id, content: 'page 2' });
    await callback(second, { type: 6 });
    expect((await webhook(second, 'PATCH', '/messages/@original', { content: 'page 3', components: [] })).status).toBe(200);
    expect(fake.storedMessage(sentMessage?.id ?? '')).toMatchObject({ content: 'page 3', components: [] });
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it('validate autocomplete results: ≤ 25 choices, names ≤ 100', async () => {
    const choices = (count: number, name = 'n') => Array.from({ length: count }, (_, i) => ({ name: `${name}${i}`, value: String(i) }));
    expect((await callback(fake.sendAutocomplete('ask', [], ana()), { type: 8, data: { choices: choices(26) } })).json.code).toBe(50035);
    expect((await callback(fake.sendAutocomplete('ask', [], ana()), { type: 8, data: { choices: choices(1, 'x'.repeat(100)) } })).json.code).toBe(50035);
    expect((await callback(fake.sendAutocomplete('ask', [], ana()), { type: 8, data: { choices: choices(25) } })).status).toBe(204);
    expect((await callback(fake.sendAutocomplete('ask', [], ana()), { type: 8, data: { choices: [] } })).status).toBe(204);
  });
});

describe('message payloads', () => {
  const field = (name: string, value = 'v') => ({ name, value });
  const invalid: [string, Record<string, unknown>, string][] = [
    ['content over 2000', { content: 'x'.repeat(2001) }, 'content'],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 'embeds'],
    ['title over 256', { embeds: [{ title: 'x'.repeat(257) }] }, 'title'],
    ['description over 4096', { embeds: [{ description: 'x'.repeat(4097) }] }, 'description'],
    ['26 fields', { embeds: [{ fields: Array.from({ length: 26 }, (_, i) => field(`f${i}`)) }] }, 'fields'],
    ['field name over 256', { embeds: [{ fields: [field('x'.repeat(257))] }] }, 'name'],
    ['field value over 1024', { embeds: [{ fields: [field('f', 'x'.repeat(1025))] }] }, 'value'],
    ['footer over 2048', { embeds: [{ description: 'd', footer: { text: 'x'.repeat(2049) } }] }, 'footer'],
    ['6000 in all embeds', { embeds: [{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2001) }] }, 'MAX_EMBED_SIZE_EXCEEDED'],
    ['6 rows', { content: 'c', components: Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))) }, 'components'],
    ['6 buttons in a row', { content: 'c', components: [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] }, 'components'],
    ['custom_id over 100', { content: 'c', components: [row(button('x'.repeat(101)))] }, 'custom_id'],
    ['label over 80', { content: 'c', components: [row(button('b', 'x'.repeat(81)))] }, 'label'],
    ['duplicate custom_ids', { content: 'c', components: [row(button('same'), button('same'))] }, 'COMPONENT_CUSTOM_ID_DUPLICATED'],
    ['a button beside a select', { content: 'c', components: [row(button('b'), { type: 3, custom_id: 's', options: [{ label: 'a', value: 'a' }] })] }, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED'],
    ['a bare button at the top', { content: 'c', components: [button('b')] }, 'type'],
    ['parse users and list users', { content: 'c', allowed_mentions: { parse: ['users'], users: ['1'] } }, 'allowed_mentions'],
    ['components v2 with content', { content: 'c', flags: 1 << 15, components: [{ type: 10, content: 'hi' }] }, 'content'],
  ];

  it('are refused with 400 50035 on every route that creates or edits a message', async () => {
    for (const [what, body, marker] of invalid) {
      const posted = await api('POST', `/channels/${fake.channelId}/messages`, body);
      expect(posted.status, what).toBe(400);
      expect(posted.json.code, what).toBe(50035);
      expect(JSON.stringify(posted.json.errors), what).toContain(marker);
    }
    const [, body] = invalid[0] ?? [];
    const command = fake.sendSlash('ask', [], ana());
    expect((await callback(command, { type: 4, data: body })).json).toMatchObject({ code: 50035, errors: { data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
    await callback(command, { type: 5 });
    expect((await webhook(command, 'PATCH', '/messages/@original', body)).json.code).toBe(50035);
    expect((await webhook(command, 'POST', '', body)).json.code).toBe(50035);
    const own = await api('POST', `/channels/${fake.channelId}/messages`, { content: 'ok' });
    expect((await api('PATCH', `/channels/${fake.channelId}/messages/${String(own.json.id)}`, body)).json.code).toBe(50035);
    const click = fake.sendButton('b', ana());
    expect((await callback(click, { type: 7, data: body })).json.code).toBe(50035);
    // Nothing refused was stored: only the deferral's placeholder, the channel message and the button's stand-in.
    expect(fake.messagesIn(fake.channelId).map((message) => message.content)).toEqual(['', 'ok', '']);
  });

  it('are accepted right at the limits; an empty message is refused with 50006', async () => {
    const atLimits = {
      content: 'x'.repeat(2000),
      embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(3000), fields: Array.from({ length: 25 }, (_, i) => field(`f${i}`.padEnd(20, '.'), 'v'.repeat(40))), footer: { text: 'f'.repeat(1244) } }],
      components: Array.from({ length: 5 }, (_, r) => row(...Array.from({ length: 5 }, (_, b) => button(`${r}-${b}`.padEnd(100, 'x'), 'l'.repeat(80))))),
    };
    // 256 + 3000 + 25 × 60 + 1244 = 6000 characters in all.
    expect((await api('POST', `/channels/${fake.channelId}/messages`, atLimits)).status).toBe(200);
    const over = { ...atLimits, embeds: [{ ...atLimits.embeds[0], footer: { text: 'f'.repeat(1245) } }] };
    expect((await api('POST', `/channels/${fake.channelId}/messages`, over)).json.errors).toEqual({ embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] } });
    expect(await api('POST', `/channels/${fake.channelId}/messages`, { content: '' })).toEqual({ status: 400, json: { code: 50006, message: 'Cannot send an empty message' } });
  });
});

describe('interaction payloads', () => {
  it('carry a member with nick and permissions in a guild, a user in a DM', async () => {
    const user = makeUser('mod');
    const permissions = PERMISSIONS.ManageMessages | PERMISSIONS.ManageThreads | PERMISSIONS.ManageGuild;
    const inGuild = await delivered(fake.sendSlash('ask', [], { user, permissions, nick: 'Moderator' }));
    expect(inGuild.member).toMatchObject({ user, nick: 'Moderator', permissions: permissions.toString() });
    expect(inGuild.user).toBeUndefined();
    expect(inGuild.channel).toMatchObject({ id: fake.channelId, type: 0, guild_id: fake.guildId });
    const plain = await delivered(fake.sendSlash('ask', [], { user: makeUser('ordinary') }));
    expect(BigInt((plain.member as { permissions: string }).permissions) & PERMISSIONS.ManageMessages).toBe(0n);
    expect((plain.member as { nick: unknown }).nick).toBeNull();

    const inDm = await delivered(fake.sendSlash('ask', [], { user, in: 'dm' }));
    expect(inDm.user).toEqual(user);
    expect(inDm.member).toBeUndefined();
    expect(inDm.channel).toMatchObject({ type: 1 });
  });

  it('in a thread: the channel is type 11 with its parent_id', async () => {
    const thread = fake.addThread('Chapter 2');
    expect((await gateway.event('THREAD_CREATE')).d).toMatchObject({ id: thread.id, type: 11, parent_id: fake.channelId });
    const sent = fake.sendSlash('ask', [], { user: makeUser('tia'), channelId: thread.id });
    const payload = await delivered(sent);
    expect(payload.channel).toMatchObject({ id: thread.id, type: 11, parent_id: fake.channelId, guild_id: fake.guildId });
    expect(payload.channel_id).toBe(thread.id);
    const message = fake.sendMessage('in the thread', { user: makeUser('tia'), channelId: thread.id });
    expect(fake.messagesIn(thread.id).map((stored) => stored.id)).toEqual([message.id]);
  });

  it('modal submits carry rows of text inputs; selects carry their values and message', async () => {
    const submit = await delivered(fake.sendModalSubmit('note', { title: 'Oil', body: 'Iran refused the freeze' }, ana()));
    expect(submit.type).toBe(5);
    expect(submit.data).toEqual({
      custom_id: 'note',
      components: [row({ type: 4, custom_id: 'title', value: 'Oil' }), row({ type: 4, custom_id: 'body', value: 'Iran refused the freeze' })],
    });
    expect(submit.message).toBeUndefined();

    const select = fake.sendSelect('pick', ['a', 'b'], ana());
    const picked = await delivered(select);
    expect(picked.type).toBe(3);
    expect(picked.data).toEqual({ custom_id: 'pick', component_type: 3, values: ['a', 'b'] });
    expect((picked.message as StoredMessage).id).toBe(select.messageId);
  });
});

describe('channels and threads', () => {
  async function postMessage(content = 'a question'): Promise<string> {
    return String((await api('POST', `/channels/${fake.channelId}/messages`, { content })).json.id);
  }

  it('start a thread on a message: type 11, the message id, parent_id; GET /channels finds it; posts land in it', async () => {
    const messageId = await postMessage();
    const started = await api('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`, { name: 'Discussion', auto_archive_duration: 1440 });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ id: messageId, type: 11, parent_id: fake.channelId, guild_id: fake.guildId, name: 'Discussion', thread_metadata: { auto_archive_duration: 1440 } });
    expect((await gateway.event('THREAD_CREATE')).d).toMatchObject({ id: messageId, newly_created: true });
    expect((await api('GET', `/channels/${messageId}`)).json).toMatchObject({ type: 11, parent_id: fake.channelId });
    expect(fake.storedMessage(messageId)?.thread).toMatchObject({ id: messageId });

    const inThread = await api('POST', `/channels/${messageId}/messages`, { content: 'first reply' });
    expect(inThread.json.channel_id).toBe(messageId);
    expect(fake.messagesIn(messageId).map((message) => message.content)).toEqual(['first reply']);
    expect(fake.threadsIn(fake.channelId).map((thread) => thread.id)).toEqual([messageId]);
    expect((await api('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`, { name: 'Again' })).json.code).toBe(160004);
  });

  it('refuse a missing or long name (400), an unknown message (404 10008), an unknown channel (404 10003)', async () => {
    const messageId = await postMessage();
    const path = `/channels/${fake.channelId}/messages/${messageId}/threads`;
    expect((await api('POST', path, {})).json).toMatchObject({ code: 50035, errors: { name: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } });
    expect((await api('POST', path, { name: 'x'.repeat(101) })).status).toBe(400);
    expect((await api('POST', path, { name: 'ok', auto_archive_duration: 5 })).status).toBe(400);
    expect(await api('POST', `/channels/${fake.channelId}/messages/424242/threads`, { name: 'ok' })).toEqual({ status: 404, json: { code: 10008, message: 'Unknown Message' } });
    expect((await api('GET', '/channels/424242')).json.code).toBe(10003);
    expect((await api('POST', '/channels/424242/messages', { content: 'x' })).json.code).toBe(10003);
    expect((await api('POST', path, { name: 'x'.repeat(100) })).status).toBe(201);
  });

  it('start a thread without a message', async () => {
    const started = await api('POST', `/channels/${fake.channelId}/threads`, { name: 'Study session', type: 11, auto_archive_duration: 60 });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ type: 11, parent_id: fake.channelId, name: 'Study session' });
    expect((await api('GET', `/channels/${String(started.json.id)}`)).status).toBe(200);
  });

  it('denyChannel: posts and threads there (and in its threads) get 403 50013, and app_permissions says so', async () => {
    const messageId = await postMessage();
    const thread = fake.addThread('Existing');
    fake.denyChannel(fake.channelId);
    const missing = { status: 403, json: { code: 50013, message: 'Missing Permissions' } };
    expect(await api('POST', `/channels/${fake.channelId}/messages`, { content: 'x' })).toEqual(missing);
    expect(await api('POST', `/channels/${thread.id}/messages`, { content: 'x' })).toEqual(missing);
    expect(await api('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`, { name: 'n' })).toEqual(missing);
    const sent = await delivered(fake.sendSlash('ask', [], ana()));
    expect(BigInt(sent.app_permissions as string) & PERMISSIONS.SendMessages).toBe(0n);
    // Interaction responses do not need the channel's permissions.
    expect((await callback(fake.sendSlash('ask', [], ana()), { type: 4, data: { content: 'still fine' } })).status).toBe(204);
    fake.allowChannel(fake.channelId);
    expect((await api('POST', `/channels/${fake.channelId}/messages`, { content: 'x' })).status).toBe(200);
  });
});

describe('multipart bodies', () => {
  it('record payload_json as the body and files[n] with their text, on messages, follow-ups and callbacks', async () => {
    const notes = '# Notes\n¶9 Russia and Iran are not allies.\n';
    const posted = await api('POST', `/channels/${fake.channelId}/messages`, multipart({ content: 'your notes', attachments: [{ id: 0, filename: 'notes.md' }] }, { 'notes.md': notes }));
    expect(posted.status).toBe(200);
    const call = fake.calls.at(-1);
    expect(call?.body).toEqual({ content: 'your notes', attachments: [{ id: 0, filename: 'notes.md' }] });
    expect(call?.files.map((file) => [file.field, file.name, file.text])).toEqual([['files[0]', 'notes.md', notes]]);
    expect(call?.files[0]?.content).toBeInstanceOf(Buffer);
    const [attachment] = posted.json.attachments as { filename: string; url: string; size: number }[];
    expect(attachment).toMatchObject({ filename: 'notes.md', size: Buffer.byteLength(notes) });
    expect(await (await fetch(attachment?.url ?? '')).text()).toBe(notes);

    const sent = fake.sendSlash('notes', [], ana());
    expect((await callback(sent, multipart({ type: 4, data: { content: 'here', attachments: [{ id: 0, filename: 'a.txt' }] } }, { 'a.txt': 'A' }))).status).toBe(204);
    expect(fake.callsFor(sent)[0]?.files[0]?.text).toBe('A');
    expect((await webhook(sent, 'POST', '', multipart({ attachments: [{ id: 0, filename: 'b.txt' }] }, { 'b.txt': 'B' }))).status).toBe(200);
    expect(fake.callsFor(sent)[1]?.files[0]?.text).toBe('B');
    // A file alone is not an empty message.
    expect(fake.sentMessages().filter(({ call: recorded }) => recorded.files.length > 0)).toHaveLength(3);
  });
});

describe('gateway RESUME', () => {
  it('replays the events dispatched while the socket was down, in order, with their original sequence numbers, then RESUMED', async () => {
    const ready = await gateway.event('READY');
    const sessionId = String(ready.d?.session_id);
    const seenBefore = gateway.lastSeq;
    fake.dropGateway();
    const first = fake.sendMessage('while down', { user: makeUser('ana') });
    const second = fake.sendSlash('ask', [], ana());

    const again = await Gateway.connect(fake);
    try {
      again.send({ op: 6, d: { token: 'test-token', session_id: sessionId, seq: seenBefore } });
      await again.event('RESUMED');
      const replayed = again.dispatches;
      expect(replayed.map((payload) => [payload.t, payload.s])).toEqual([
        ['MESSAGE_CREATE', seenBefore + 1],
        ['INTERACTION_CREATE', seenBefore + 2],
        ['RESUMED', seenBefore + 3],
      ]);
      expect(replayed[0]?.d?.id).toBe(first.id);
      expect(replayed[1]?.d?.id).toBe(second.id);
      // Live again: the next event arrives at once, numbered on.
      fake.sendMessage('after', { user: makeUser('ben') });
      expect((await again.event('MESSAGE_CREATE').then(() => again.next((payload) => payload.s === seenBefore + 4))).t).toBe('MESSAGE_CREATE');
      expect(fake.resumes).toBe(1);
      expect(fake.identifies).toBe(1);
    } finally {
      again.close();
    }
  });

  it('a resume from an older sequence number gets everything after it; an unknown session gets op 9', async () => {
    const sessionId = String((await gateway.event('READY')).d?.session_id);
    fake.dropGateway();
    const again = await Gateway.connect(fake);
    try {
      again.send({ op: 6, d: { token: 'test-token', session_id: sessionId, seq: 1 } });
      await again.event('RESUMED');
      expect(again.dispatches.map((payload) => [payload.t, payload.s])).toEqual([
        ['GUILD_CREATE', 2],
        ['RESUMED', 3],
      ]);
    } finally {
      again.close();
    }
    const stranger = await Gateway.connect(fake);
    try {
      stranger.send({ op: 6, d: { token: 'test-token', session_id: 'nope', seq: 1 } });
      expect((await stranger.next((payload) => payload.op === 9)).d).toBe(false);
      stranger.send({ op: 1, d: null });
      await stranger.next((payload) => payload.op === 11);
    } finally {
      stranger.close();
    }
  });
});
