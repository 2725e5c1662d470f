/**
 * A fake Discord on 127.0.0.1 for end-to-end tests: enough REST and gateway for
 * the real discord.js client to log in, receive events and answer them.
 *
 * - REST (`apiUrl`, e.g. http://127.0.0.1:PORT/api): GET /gateway/bot, interaction
 *   callbacks, webhook edits/deletes/follow-ups, DM channel creation, channel
 *   messages and bulk command PUTs. Every call is recorded with its JSON body.
 * - Gateway: HELLO, IDENTIFY→READY (+GUILD_CREATE), heartbeat ACK, RESUME→RESUMED.
 *   Events dispatched while the connection is down are replayed on RESUME, as
 *   Discord does, so a test never loses one to a reconnect.
 * - Faults: answer a chosen route with 500 or 429 (`failRoute`), drop the gateway
 *   (`dropGateway`).
 *
 * Test helpers dispatch interactions and messages as Discord would and wait for
 * the bot's answers (`sendSlash`, `sendButton`, `answerTo`, …).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  method: string;
  /** Path as sent, e.g. /api/v10/webhooks/1/tok/messages/%40original. */
  path: string;
  /** Path with percent-escapes decoded, e.g. …/messages/@original. */
  route: string;
  query: string;
  body: unknown;
  authorized: boolean;
  status: number;
  /** When the fake received it (Date.now()), to compare with an interaction's creation time. */
  at: number;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

/** Statuses a route can be made to fail with: an outage, a rate limit, a rejected token. */
export type FaultStatus = 500 | 429 | 401;

interface RouteFault {
  matches: (call: RecordedCall) => boolean;
  status: FaultStatus;
  remaining: number;
  retryAfterSeconds: number;
}

export interface SentInteraction {
  id: string;
  token: string;
  /** The creation time its snowflake id encodes, which is what Discord's 3 s deadline counts from. */
  createdAt: number;
}

export interface Place {
  user: FakeUser;
  /**
   * Where it happens: the test guild's channel (default), a DM with the user,
   * or a server the bot is not in (the app installed by the user).
   */
  in?: 'guild' | 'dm' | 'other-guild';
}

export interface CommandOptionValue {
  name: string;
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let sequence = 0n;

/** Snowflakes that encode a time (now by default), as Discord's do. */
export function snowflake(at = Date.now()): string {
  sequence = (sequence + 1n) % 4096n;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | sequence).toString();
}

export function makeUser(username: string, extra: Partial<FakeUser> = {}): FakeUser {
  return { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null, ...extra };
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly botUser = makeUser('Footnote', { bot: true });
  readonly applicationId = this.botUser.id;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly dmChannels = new Map<string, string>();
  /** A server the bot is not a member of, for user-installed use. */
  readonly foreignGuildId = snowflake();
  readonly foreignChannelId = snowflake();
  identifies = 0;
  resumes = 0;
  /** The token of the last IDENTIFY or RESUME, to check what the bot sent. */
  lastGatewayToken: string | undefined;
  /** The intents of the last IDENTIFY. */
  lastIntents: number | undefined;

  private readonly faults: RouteFault[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly sockets = new Set<WebSocket>();
  private socket: WebSocket | undefined;
  /** The current gateway session: its id and every event dispatched in it (event N has sequence N + 1). */
  private session: { id: string; events: string[] } | undefined;
  /** Whether the current socket has identified or resumed, so events may be sent on it. */
  private live = false;
  private readyCount = 0;
  private readonly deletedMessages = new Set<string>();

  private constructor(
    private readonly http: Server,
    private readonly gateway: WebSocketServer,
    private readonly heartbeatIntervalMs: number,
  ) {
    http.on('request', (request, response) => void this.onRequest(request, response));
    gateway.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(options: { heartbeatIntervalMs?: number } = {}): Promise<FakeDiscord> {
    const http = createServer();
    const gateway = new WebSocketServer({ server: http });
    // Long enough that a bot busy for a few seconds is not taken for a zombie and made to reconnect.
    const fake = new FakeDiscord(http, gateway, options.heartbeatIntervalMs ?? 5_000);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The REST base URL to give the bot as DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- faults ----------------------------------------------------------------

  /** Answer the next `times` calls matching `route` with `status` (429s carry Retry-After). */
  failRoute(route: RegExp | ((call: RecordedCall) => boolean), status: FaultStatus, times = 1, retryAfterSeconds = 0.05): void {
    const matches = typeof route === 'function' ? route : (call: RecordedCall) => route.test(`${call.method} ${call.route}`);
    this.faults.push({ matches, status, remaining: times, retryAfterSeconds });
  }

  /** Failures armed with `failRoute` that no call has used yet. */
  get armedFailures(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** The user deletes a message: replies to it fail as Discord's do, unless they allow a missing reference. */
  deleteMessage(id: string): void {
    this.deletedMessages.add(id);
  }

  /** Close the gateway connection abruptly, as a network blip or a Discord restart would. */
  dropGateway(code = 4000): void {
    this.socket?.close(code, 'fake Discord dropped the connection');
    this.socket = undefined;
    this.live = false;
  }

  // ---- waiting ---------------------------------------------------------------

  /** Resolves once `check` returns a value, re-checked on every recorded call or gateway event. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    const immediate = check();
    if (immediate !== undefined && immediate !== false) return immediate;
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value === undefined || value === false) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs?: number, what = 'a REST call'): Promise<RecordedCall> {
    return this.waitFor(() => this.calls.find(predicate), timeoutMs, what);
  }

  /** Resolves when the bot has identified (or resumed) and the session is ready, `count` times in all. */
  waitForReady(count = 1, timeoutMs = 10_000): Promise<true> {
    return this.waitFor(() => this.readyCount >= count, timeoutMs, `session ready #${count}`);
  }

  waitForResume(count = 1, timeoutMs = 10_000): Promise<true> {
    return this.waitFor(() => this.resumes >= count, timeoutMs, `RESUME #${count}`);
  }

  /** Every REST call about one interaction: its callback and webhook calls with its token. */
  callsFor(interaction: SentInteraction): RecordedCall[] {
    return this.calls.filter(
      (call) => call.route.includes(`/interactions/${interaction.id}/`) || call.route.includes(`/webhooks/${this.applicationId}/${interaction.token}`),
    );
  }

  /**
   * The message the user finally sees for an interaction: the callback's data, or
   * (after a deferral) the edit of the original response. Includes `flags` as
   * decided at callback time.
   */
  async answerTo(interaction: SentInteraction, timeoutMs = 5_000): Promise<{ type: number; data: Record<string, unknown>; calls: RecordedCall[] }> {
    const callback = await this.waitForCall(
      (call) => call.route.includes(`/interactions/${interaction.id}/`) && call.status < 300,
      timeoutMs,
      `a callback for interaction ${interaction.id}`,
    );
    const body = callback.body as { type: number; data?: Record<string, unknown> };
    if (body.type !== 5 && body.type !== 6) return { type: body.type, data: body.data ?? {}, calls: this.callsFor(interaction) };
    const edit = await this.waitForCall(
      (call) => call.method === 'PATCH' && call.route.includes(`/webhooks/${this.applicationId}/${interaction.token}/messages/@original`),
      timeoutMs,
      `the deferred answer for interaction ${interaction.id}`,
    );
    const data = { ...(edit.body as Record<string, unknown>), flags: body.data?.flags ?? 0 };
    return { type: body.type, data, calls: this.callsFor(interaction) };
  }

  /** The bot's reply in a channel (POST /channels/:id/messages) to the message `messageId`. */
  replyTo(messageId: string, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitForCall(
      (call) => call.method === 'POST' && /\/channels\/\d+\/messages$/.test(call.route) && (call.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === messageId,
      timeoutMs,
      `a reply to message ${messageId}`,
    );
  }

  /**
   * Every message body the bot sent so far, whatever the route: interaction
   * callbacks that carry a message, webhook edits and follow-ups, channel messages.
   */
  sentMessages(): { call: RecordedCall; message: Record<string, unknown> }[] {
    const sent: { call: RecordedCall; message: Record<string, unknown> }[] = [];
    for (const call of this.calls) {
      const body = call.body as Record<string, unknown> | null;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
      if (/\/interactions\/\d+\/[^/]+\/callback$/.test(call.route)) {
        if ((body.type === 4 || body.type === 7) && body.data) sent.push({ call, message: body.data as Record<string, unknown> });
      } else if (/\/webhooks\/|\/channels\/\d+\/messages$/.test(call.route) && call.method !== 'DELETE') {
        sent.push({ call, message: body });
      }
    }
    return sent;
  }

  // ---- dispatching events ----------------------------------------------------

  /** Sends an event to the bot; while its connection is down, the event waits for the RESUME. */
  dispatch(event: string, data: unknown): void {
    if (!this.session) throw new Error('fake Discord: no gateway session to dispatch in');
    const payload = JSON.stringify({ op: 0, t: event, s: this.session.events.length + 1, d: data });
    this.session.events.push(payload);
    if (this.live) this.socket?.send(payload);
  }

  sendSlash(name: string, options: CommandOptionValue[], place: Place, resolvedUsers: FakeUser[] = []): SentInteraction {
    const users = Object.fromEntries(resolvedUsers.map((user) => [user.id, user]));
    return this.sendInteraction(2, { id: snowflake(), name, type: 1, options, resolved: { users } }, place);
  }

  sendAutocomplete(name: string, options: CommandOptionValue[], place: Place): SentInteraction {
    return this.sendInteraction(4, { id: snowflake(), name, type: 1, options }, place);
  }

  sendMessageCommand(name: string, target: { content: string; author: FakeUser; embeds?: unknown[] }, place: Place): SentInteraction {
    const channelId = this.channelFor(place);
    const message = { ...this.messageObject({ content: target.content, author: target.author, channelId, guild: place.in !== 'dm' }), embeds: target.embeds ?? [] };
    return this.sendInteraction(2, { id: snowflake(), name, type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } }, place);
  }

  sendButton(customId: string, place: Place): SentInteraction {
    const message = this.messageObject({ content: '', author: this.botUser, channelId: this.channelFor(place), guild: place.in !== 'dm' });
    return this.sendInteraction(3, { custom_id: customId, component_type: 2 }, place, { message });
  }

  /** A message posted by `author` in the guild channel (default) or in their DM with the bot. */
  sendMessage(content: string, place: Place & { mentions?: FakeUser[] }): { id: string; channelId: string } {
    const guild = place.in !== 'dm';
    const channelId = this.channelFor(place);
    const message = this.messageObject({ content, author: place.user, channelId, guild, mentions: place.mentions ?? [] });
    this.dispatch('MESSAGE_CREATE', guild ? message : { ...message, channel_type: 1 });
    return { id: message.id, channelId };
  }

  // ---- internals: payloads -----------------------------------------------------

  private channelFor(place: Place): string {
    if (place.in !== 'dm') return this.channelId;
    let id = this.dmChannels.get(place.user.id);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(place.user.id, id);
    }
    return id;
  }

  private sendInteraction(type: number, data: Record<string, unknown>, place: Place, extra: Record<string, unknown> = {}): SentInteraction {
    const createdAt = Date.now();
    const id = snowflake(createdAt);
    const token = `interaction-token-${randomBytes(12).toString('hex')}`;
    const where = place.in ?? 'guild';
    const member = { user: place.user, roles: [], joined_at: new Date().toISOString(), permissions: '2248473465835073', deaf: false, mute: false, flags: 0 };
    const foreignGuild = this.foreignGuildId;
    const context =
      where === 'dm'
        ? { channel: { id: this.channelFor(place), type: 1, recipients: [place.user] }, user: place.user, authorizing_integration_owners: { '1': place.user.id }, context: 1 }
        : where === 'other-guild'
          ? // Only the user installed the app: Discord sends the guild id, but the bot has no such guild.
            { guild_id: foreignGuild, guild_locale: 'en-US', channel: { id: this.foreignChannelId, type: 0, guild_id: foreignGuild, name: 'elsewhere' }, member, authorizing_integration_owners: { '1': place.user.id }, context: 0 }
          : { guild_id: this.guildId, guild_locale: 'en-US', channel: { id: this.channelId, type: 0, guild_id: this.guildId, name: 'study-group' }, member, authorizing_integration_owners: { '0': this.guildId }, context: 0 };
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      channel_id: context.channel.id,
      ...context,
      app_permissions: '2248473465835073',
      locale: 'en-US',
      entitlements: [],
      ...extra,
    });
    return { id, token, createdAt };
  }

  private messageObject(input: { content: string; author: FakeUser; channelId: string; guild: boolean; mentions?: FakeUser[] }): Record<string, unknown> & { id: string } {
    return {
      id: snowflake(),
      type: 0,
      channel_id: input.channelId,
      ...(input.guild ? { guild_id: this.guildId } : {}),
      author: input.author,
      content: input.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: input.mentions ?? [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
    };
  }

  private guildCreate(): Record<string, unknown> {
    return {
      id: this.guildId,
      name: 'Study group',
      icon: null,
      owner_id: snowflake(),
      unavailable: false,
      joined_at: new Date().toISOString(),
      large: false,
      member_count: 3,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      features: [],
      roles: [{ id: this.guildId, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: [{ id: this.channelId, type: 0, guild_id: this.guildId, name: 'study-group', position: 0, permission_overwrites: [], nsfw: false, topic: null }],
      threads: [],
      members: [],
      presences: [],
      voice_states: [],
      emojis: [],
      stickers: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- internals: gateway ------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    this.socket = socket;
    this.live = false;
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.socket === socket) {
        this.socket = undefined;
        this.live = false;
      }
      this.notify();
    });
    socket.on('message', (raw) => this.onGatewayMessage(socket, raw.toString()));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
  }

  private onGatewayMessage(socket: WebSocket, raw: string): void {
    const payload = JSON.parse(raw) as { op: number; d: Record<string, unknown> | null };
    switch (payload.op) {
      case 1:
        socket.send(JSON.stringify({ op: 11 }));
        break;
      case 2:
        this.identifies += 1;
        this.lastGatewayToken = String(payload.d?.token);
        this.lastIntents = Number(payload.d?.intents);
        this.session = { id: randomBytes(16).toString('hex'), events: [] };
        this.live = true;
        this.dispatch('READY', {
          v: 10,
          user: this.botUser,
          guilds: [{ id: this.guildId, unavailable: true }],
          session_id: this.session.id,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
        });
        this.dispatch('GUILD_CREATE', this.guildCreate());
        this.readyCount += 1;
        break;
      case 6: {
        this.resumes += 1;
        this.lastGatewayToken = String(payload.d?.token);
        if (!this.session || payload.d?.session_id !== this.session.id) {
          socket.send(JSON.stringify({ op: 9, d: false }));
          break;
        }
        // Everything after the last event the bot saw, then RESUMED.
        for (const missed of this.session.events.slice(Number(payload.d?.seq ?? 0))) socket.send(missed);
        this.live = true;
        this.dispatch('RESUMED', {});
        this.readyCount += 1;
        break;
      }
      default:
        break;
    }
    this.notify();
  }

  // ---- internals: REST ---------------------------------------------------------

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const call: RecordedCall = {
      method: request.method ?? 'GET',
      path: url.pathname,
      route: decodeURIComponent(url.pathname),
      query: url.search,
      body,
      authorized: typeof request.headers.authorization === 'string',
      status: 0,
      at: Date.now(),
    };
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.matches(call));
    if (fault) {
      fault.remaining -= 1;
      call.status = fault.status;
      this.record(call);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.status === 429) {
        headers['retry-after'] = String(fault.retryAfterSeconds);
        headers['x-ratelimit-scope'] = 'user';
      }
      response.writeHead(fault.status, headers);
      response.end(JSON.stringify(FAULT_BODIES[fault.status](fault.retryAfterSeconds)));
      return;
    }
    const [status, result] = this.answer(call);
    call.status = status;
    this.record(call);
    if (status === 204) {
      response.writeHead(204);
      response.end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(result));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private answer(call: RecordedCall): [number, unknown] {
    const route = call.route.replace(/^\/api\/v\d+/, '');
    const key = `${call.method} ${route}`;
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (key === 'GET /gateway/bot') {
      return [200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    if (/^POST \/interactions\/\d+\/[^/]+\/callback$/.test(key)) {
      return call.query.includes('with_response=true') ? [200, { interaction: { id: route.split('/')[2], type: 2 } }] : [204, null];
    }
    let match = /^(PATCH|GET) \/webhooks\/(\d+)\/[^/]+\/messages\/(@original|\d+)$/.exec(key);
    if (match) return [200, this.sentMessage(body, this.channelId)];
    match = /^DELETE \/webhooks\/(\d+)\/[^/]+\/messages\/(@original|\d+)$/.exec(key);
    if (match) return [204, null];
    if (/^POST \/webhooks\/\d+\/[^/]+$/.test(key)) return [200, this.sentMessage(body, this.channelId)];
    if (key === 'POST /users/@me/channels') {
      const recipient = String(body.recipient_id);
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      return [200, { id, type: 1, last_message_id: null, recipients: [{ ...makeUser('someone'), id: recipient }] }];
    }
    match = /^POST \/channels\/(\d+)\/messages$/.exec(key);
    if (match) return this.channelMessage(body, match[1] ?? '');
    match = /^PUT \/applications\/(\d+)(\/guilds\/\d+)?\/commands$/.exec(key);
    if (match && Array.isArray(call.body)) {
      return [200, (call.body as Record<string, unknown>[]).map((command) => ({ ...command, id: snowflake(), application_id: match?.[1], version: snowflake() }))];
    }
    return [404, { message: `fake Discord does not know ${key}`, code: 0 }];
  }

  /** A reply to a deleted message fails unless it says fail_if_not_exists: false; then it is sent as a plain message. */
  private channelMessage(body: Record<string, unknown>, channelId: string): [number, unknown] {
    const reference = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    if (reference?.message_id === undefined || !this.deletedMessages.has(reference.message_id)) return [200, this.sentMessage(body, channelId)];
    if (reference.fail_if_not_exists !== false) {
      return [400, { message: 'Invalid Form Body', code: 50035, errors: { message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] } } }];
    }
    const { message_reference: _dropped, ...rest } = body;
    return [200, this.sentMessage(rest, channelId)];
  }

  private sentMessage(body: Record<string, unknown>, channelId: string): Record<string, unknown> {
    const isDm = [...this.dmChannels.values()].includes(channelId);
    return {
      id: snowflake(),
      type: body.message_reference ? 19 : 0,
      channel_id: channelId,
      ...(isDm ? {} : { guild_id: this.guildId }),
      author: this.botUser,
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      flags: body.flags ?? 0,
    };
  }
}

const FAULT_BODIES: Record<FaultStatus, (retryAfter: number) => unknown> = {
  500: () => ({ message: 'Internal Server Error', code: 0 }),
  429: (retryAfter) => ({ message: 'You are being rate limited.', retry_after: retryAfter, global: false }),
  401: () => ({ message: '401: Unauthorized', code: 0 }),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
