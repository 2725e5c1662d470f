/**
 * A fake Discord on 127.0.0.1 for end-to-end tests: enough REST and gateway for
 * the real discord.js client to log in, receive events and answer them, and as
 * strict as Discord about what it accepts.
 *
 * - REST (`apiUrl`, e.g. http://127.0.0.1:PORT/api): GET /gateway/bot, interaction
 *   callbacks, webhook edits/deletes/follow-ups, DM channel creation, channels,
 *   channel messages, threads and bulk command PUTs. JSON and multipart bodies
 *   (`payload_json` + `files[n]`). Every call is recorded, refused ones too, with
 *   its body, files, status and the fake's answer.
 * - Strictness: one callback per interaction, within 3 s of its creation; the
 *   interaction's webhook only after the callback and for 15 min; callback types
 *   only where Discord allows them; message, modal and autocomplete payloads
 *   within Discord's limits (400 50035 otherwise).
 * - State: every message the bot or a test user posted is stored per channel, and
 *   edits apply to it (`messagesIn`, `storedMessage`); threads are channels.
 * - Gateway: HELLO, IDENTIFY→READY (+GUILD_CREATE), heartbeat ACK, RESUME→missed
 *   events with their original sequence numbers, then RESUMED, as Discord does,
 *   so a test never loses one to a reconnect. With `start({ shards: N })`, one
 *   session per shard: guild events on shard (guild_id >> 22) % N, DMs on 0
 *   (`addGuild({ shard })` makes a guild on a given shard).
 * - Faults: answer a chosen route with 500, 429 or 401 (`failRoute`), refuse posts
 *   in a channel (`denyChannel`), drop the gateway (`dropGateway`), move the clock
 *   past a deadline (`advanceClock`).
 *
 * Test helpers dispatch interactions and messages as Discord would and wait for
 * the bot's answers (`sendSlash`, `sendButton`, `sendSelect`, `sendModalSubmit`,
 * `answerTo`, …).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A file uploaded in a multipart body (`files[n]` part). */
export interface RecordedFile {
  /** The form field, e.g. files[0]. */
  field: string;
  /** The file name the client gave. */
  name: string;
  contentType: string;
  content: Buffer;
  /** The content decoded as UTF-8. */
  text: string;
}

export interface RecordedCall {
  method: string;
  /** Path as sent, e.g. /api/v10/webhooks/1/tok/messages/%40original. */
  path: string;
  /** Path with percent-escapes decoded, e.g. …/messages/@original. */
  route: string;
  query: string;
  /** The JSON body; for a multipart body, its `payload_json`. */
  body: unknown;
  /** Files of a multipart body, in the order sent. */
  files: RecordedFile[];
  authorized: boolean;
  status: number;
  /** What the fake answered (null for 204), e.g. `{code: 40060, message}` for a refused call. */
  response: unknown;
  /** When the fake received it (on the fake's clock: Date.now() unless advanced), to compare with an interaction's creation time. */
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
  /** The channel (or thread, or DM) it was sent in. */
  channelId: string;
  /** The message a component sits on, for buttons, selects and modals opened from a component. */
  messageId?: string;
}

export interface Place {
  user: FakeUser;
  /**
   * Where it happens: the test guild's channel (default), a DM with the user,
   * or a server the bot is not in (the app installed by the user).
   */
  in?: 'guild' | 'dm' | 'other-guild';
  /** In the test guild: a channel or thread the fake knows (default: its text channel, `channelId`). */
  channelId?: string;
  /** In a guild: the member's permissions in the channel (default MEMBER_PERMISSIONS); use PERMISSIONS' bigints, as 1 << 34 overflows a number. */
  permissions?: bigint | number | string;
  /** In a guild: the member's server nickname (default none). */
  nick?: string | null;
  /** For components and modal submits: the id of the stored message it sits on (default: the latest in the channel carrying that custom_id). */
  messageId?: string;
}

/** The values of channel options (type 7), subcommands' included. */
function channelOptionValues(options: readonly CommandOptionValue[]): string[] {
  return options.flatMap((option) => {
    const nested = (option as { options?: CommandOptionValue[] }).options;
    if (Array.isArray(nested)) return channelOptionValues(nested);
    return option.type === 7 && typeof option.value === 'string' ? [option.value] : [];
  });
}

/** An attachment as Discord resolves it in a command's `resolved.attachments`. */
export interface UploadedAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export interface CommandOptionValue {
  name: string;
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

/** A message as the fake stores it: Discord's message object, updated by edits. */
export type StoredMessage = Record<string, unknown> & { id: string; channel_id: string };

/** A channel as Discord describes it (text 0, DM 1, public thread 11, private thread 12). */
export type FakeChannel = Record<string, unknown> & { id: string; type: number };

export interface StartOptions {
  heartbeatIntervalMs?: number;
  /** How long after its creation an interaction may be acknowledged (Discord: 3 s). */
  callbackDeadlineMs?: number;
  /** How long an interaction's webhook lives after its creation (Discord: 15 min). */
  webhookLifetimeMs?: number;
  /**
   * The shard count GET /gateway/bot recommends and IDENTIFY must use (default
   * 1). With more, each IDENTIFY names its shard and is a session of its own;
   * guild events go to shard (guild_id >> 22) % shards, DMs to shard 0.
   */
  shards?: number;
}

/** One shard's connection and session; a single-shard fake has just shard 0. */
interface ShardState {
  socket: WebSocket | undefined;
  /** The session: its id and every event dispatched in it (event N has sequence N + 1). */
  session: { id: string; events: string[] } | undefined;
  /** Whether the socket has identified or resumed, so events may be sent on it. */
  live: boolean;
}

/** Permission bits tests are likely to need, as bigints. */
export const PERMISSIONS = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** An ordinary member's permissions (no Manage* bit): the default for members and for the bot. */
export const MEMBER_PERMISSIONS = 2248473465835073n;

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

const EPHEMERAL = 64;
const LOADING = 128;
const HAS_THREAD = 32;
const IS_COMPONENTS_V2 = 1 << 15;
const INTERACTION_KINDS: Record<number, string> = { 1: 'ping', 2: 'application command', 3: 'message component', 4: 'autocomplete', 5: 'modal submit' };
/** Callback types Discord accepts per interaction type; 9 (modal) can only come first, which one-callback-per-interaction already ensures. */
const CALLBACK_TYPES: Record<number, number[]> = { 1: [1], 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
const THREAD_ARCHIVE_MINUTES = [60, 1440, 4320, 10080];

type Answer = [number, unknown];

const refusal = (status: number, code: number, message: string): Answer => [status, { code, message }];
const UNKNOWN_INTERACTION = refusal(404, 10062, 'Unknown interaction');
const ALREADY_ACKNOWLEDGED = refusal(400, 40060, 'Interaction has already been acknowledged.');
const UNKNOWN_WEBHOOK = refusal(404, 10015, 'Unknown Webhook');
const UNKNOWN_MESSAGE = refusal(404, 10008, 'Unknown Message');
const UNKNOWN_CHANNEL = refusal(404, 10003, 'Unknown Channel');
const MISSING_ACCESS = refusal(403, 50001, 'Missing Access');
const MISSING_PERMISSIONS = refusal(403, 50013, 'Missing Permissions');
const CANNOT_MESSAGE_USER = refusal(403, 50007, 'Cannot send messages to this user');
const EMPTY_MESSAGE = refusal(400, 50006, 'Cannot send an empty message');
const WRONG_CHANNEL_TYPE = refusal(400, 50024, 'Cannot execute action on this channel type');

interface InteractionState {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  channelId: string;
  user: FakeUser;
  owners: Record<string, string>;
  messageId?: string;
  /** The callback type, once acknowledged. */
  response?: number;
  /** The message `@original` names: the response, or for 6/7 the component's message. */
  originalId?: string;
  followUps: Set<string>;
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly botUser = makeUser('Footnote', { bot: true });
  readonly applicationId = this.botUser.id;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly dmChannels = new Map<string, string>();
  /** Users who take no direct messages from the bot: sending them one is refused as Discord does (403, 50007). */
  readonly closedDms = new Set<string>();
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
  /** Every IDENTIFY's `shard` field ([id, count]), in order; undefined when it had none. */
  readonly identifiedShards: ([number, number] | undefined)[] = [];

  private readonly sockets = new Set<WebSocket>();
  private readonly shardStates: ShardState[];
  /** The guilds the bot is a member of: the test guild and any `addGuild` made. */
  private readonly memberGuilds = new Set<string>([this.guildId]);
  private readyCount = 0;
  private readonly deletedMessages = new Set<string>();
  private clockOffsetMs = 0;
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly deniedChannels = new Set<string>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly messageIdsByChannel = new Map<string, string[]>();
  private readonly attachmentFiles = new Map<string, RecordedFile>();
  private readonly users = new Map<string, FakeUser>();

  private constructor(
    private readonly http: Server,
    private readonly gateway: WebSocketServer,
    private readonly heartbeatIntervalMs: number,
    private readonly callbackDeadlineMs: number,
    private readonly webhookLifetimeMs: number,
    readonly shardCount = 1,
  ) {
    this.shardStates = Array.from({ length: shardCount }, () => ({ socket: undefined, session: undefined, live: false }));
    http.on('request', (request, response) => void this.onRequest(request, response));
    gateway.on('connection', (socket) => this.onConnection(socket));
    this.channels.set(this.channelId, { id: this.channelId, type: 0, guild_id: this.guildId, name: 'study-group', position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null });
    this.channels.set(this.foreignChannelId, { id: this.foreignChannelId, type: 0, guild_id: this.foreignGuildId, name: 'elsewhere' });
  }

  static async start(options: StartOptions = {}): Promise<FakeDiscord> {
    const http = createServer();
    const gateway = new WebSocketServer({ server: http });
    // Long enough that a bot busy for a few seconds is not taken for a zombie and made to reconnect.
    const fake = new FakeDiscord(http, gateway, options.heartbeatIntervalMs ?? 5_000, options.callbackDeadlineMs ?? 3_000, options.webhookLifetimeMs ?? 15 * 60_000, options.shards ?? 1);
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

  // ---- clock -----------------------------------------------------------------

  /** The fake's clock: Date.now() plus whatever `advanceClock` added. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the fake's clock forward, so interactions already sent are that much older (e.g. past 3 s or 15 min). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
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

  /** The bot loses the right to post in a channel (and its threads): posts and thread creation there get 403 50013. */
  denyChannel(channelId: string): void {
    this.deniedChannels.add(channelId);
  }

  /** Undoes `denyChannel`. */
  allowChannel(channelId: string): void {
    this.deniedChannels.delete(channelId);
  }

  /** Close the gateway connection abruptly, as a network blip or a Discord restart would. */
  dropGateway(code = 4000, shard = 0): void {
    const state = this.shardState(shard);
    state.socket?.close(code, 'fake Discord dropped the connection');
    state.socket = undefined;
    state.live = false;
  }

  // ---- guilds and shards ---------------------------------------------------------

  /** The shard Discord sends a guild's events on: (guild_id >> 22) % shards. */
  shardOf(guildId: string): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(this.shardCount));
  }

  /**
   * Another guild the bot is a member of, with one text channel, on `options.shard`
   * when given (its id is picked so). A session already open hears of it by GUILD_CREATE.
   */
  addGuild(options: { shard?: number } = {}): { guildId: string; channelId: string } {
    let at = this.now();
    if (options.shard !== undefined) {
      const wanted = options.shard;
      if (wanted < 0 || wanted >= this.shardCount) throw new Error(`fake Discord: no shard ${wanted} of ${this.shardCount}`);
      // A snowflake's top bits are its millisecond timestamp, so stepping back one ms at a time reaches every shard.
      while (Number((BigInt(at) - DISCORD_EPOCH) % BigInt(this.shardCount)) !== wanted) at -= 1;
    }
    const guildId = snowflake(at);
    const channelId = snowflake();
    this.memberGuilds.add(guildId);
    this.channels.set(channelId, { id: channelId, type: 0, guild_id: guildId, name: 'study-group', position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null });
    if (this.shardState(this.shardOf(guildId)).session) this.dispatch('GUILD_CREATE', this.guildCreate(guildId));
    return { guildId, channelId };
  }

  // ---- state -----------------------------------------------------------------

  /** Messages stored in a channel, oldest first, deleted ones left out (ephemeral ones included, with flag 64). */
  messagesIn(channelId: string): StoredMessage[] {
    const ids = this.messageIdsByChannel.get(channelId) ?? [];
    return ids.filter((id) => !this.deletedMessages.has(id)).map((id) => this.messages.get(id) as StoredMessage);
  }

  /** One stored message as it is now (after edits), or undefined if unknown or deleted. */
  storedMessage(id: string): StoredMessage | undefined {
    return this.deletedMessages.has(id) ? undefined : this.messages.get(id);
  }

  /** A channel, DM channel or thread the fake knows. */
  channel(id: string): FakeChannel | undefined {
    return this.channels.get(id);
  }

  /** Threads whose parent is `parentId` (default: the test channel), oldest first. */
  threadsIn(parentId = this.channelId): FakeChannel[] {
    return [...this.channels.values()].filter((channel) => channel.parent_id === parentId);
  }

  /** A thread a user opened in the test guild (on a stored message if `fromMessageId`); the bot hears of it by THREAD_CREATE. */
  addThread(name: string, options: { parentId?: string; fromMessageId?: string; owner?: FakeUser; type?: 11 | 12 } = {}): FakeChannel {
    const parentId = options.parentId ?? this.channelId;
    const thread = this.makeThread({ id: options.fromMessageId ?? snowflake(this.now()), parentId, name, type: options.type ?? 11, ownerId: options.owner?.id ?? snowflake(), autoArchive: 1440 });
    if (options.fromMessageId !== undefined) this.markThreadStarter(options.fromMessageId, thread);
    return thread;
  }

  /** Calls the fake refused (status 400 and above, faults included). */
  refusedCalls(): RecordedCall[] {
    return this.calls.filter((call) => call.status >= 400);
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
      (call) => call.route.includes(`/interactions/${interaction.id}/`) && (call.status < 300 || FINAL_REFUSALS.has(call.status)),
      timeoutMs,
      `a callback for interaction ${interaction.id}`,
    );
    refusedAnswer(callback, `the callback for interaction ${interaction.id}`);
    const body = callback.body as { type: number; data?: Record<string, unknown> };
    if (body.type !== 5 && body.type !== 6) return { type: body.type, data: body.data ?? {}, calls: this.callsFor(interaction) };
    const edit = await this.waitForCall(
      (call) => call.method === 'PATCH' && call.route.includes(`/webhooks/${this.applicationId}/${interaction.token}/messages/@original`) && (call.status < 300 || FINAL_REFUSALS.has(call.status)),
      timeoutMs,
      `the deferred answer for interaction ${interaction.id}`,
    );
    refusedAnswer(edit, `the deferred answer for interaction ${interaction.id}`);
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
   * callbacks that carry a message, webhook edits and follow-ups, channel messages
   * (refused ones included: check `call.status`).
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
    this.dispatchOn(this.shardFor(event, data), event, data);
  }

  /** The shard an event goes out on: its guild's, or 0 for DMs and anything without a guild. */
  private shardFor(event: string, data: unknown): number {
    const fields = (data ?? {}) as { guild_id?: unknown; id?: unknown };
    const guildId = event === 'GUILD_CREATE' ? fields.id : fields.guild_id;
    return typeof guildId === 'string' && this.memberGuilds.has(guildId) ? this.shardOf(guildId) : 0;
  }

  private dispatchOn(shard: number, event: string, data: unknown): void {
    const state = this.shardState(shard);
    if (!state.session) throw new Error(`fake Discord: no gateway session on shard ${shard} to dispatch in`);
    const payload = JSON.stringify({ op: 0, t: event, s: state.session.events.length + 1, d: data });
    state.session.events.push(payload);
    if (state.live) state.socket?.send(payload);
  }

  private shardState(shard: number): ShardState {
    const state = this.shardStates[shard];
    if (!state) throw new Error(`fake Discord: no shard ${shard} of ${this.shardCount}`);
    return state;
  }

  sendSlash(name: string, options: CommandOptionValue[], place: Place, resolvedUsers: FakeUser[] = [], attachments: UploadedAttachment[] = []): SentInteraction {
    const users = Object.fromEntries(resolvedUsers.map((user) => [user.id, user]));
    // As Discord does: a channel option is resolved only to a channel of the server it is used in; any other id is left out.
    const guildId = this.channels.get(this.channelFor(place))?.guild_id;
    const channelIds = channelOptionValues(options).filter((id) => guildId !== undefined && this.channels.get(id)?.guild_id === guildId);
    const channels = Object.fromEntries(channelIds.map((id) => {
      const channel = this.channels.get(id) as FakeChannel;
      return [id, { id, name: channel.name, type: channel.type, permissions: MEMBER_PERMISSIONS.toString() }];
    }));
    const resolved = {
      users,
      ...(attachments.length > 0 ? { attachments: Object.fromEntries(attachments.map((attachment) => [attachment.id, attachment])) } : {}),
      ...(channelIds.length > 0 ? { channels } : {}),
    };
    return this.sendInteraction(2, { id: snowflake(), name, type: 1, options, resolved }, place);
  }

  /** A file a user attaches to a command, served from the fake's CDN (/attachments/<id>/<name>) as Discord serves attachments; its `id` is the option's value. */
  uploadAttachment(filename: string, content: Uint8Array, contentType: string): UploadedAttachment {
    const id = snowflake(this.now());
    this.attachmentFiles.set(id, { field: 'files[0]', name: filename, contentType, content: Buffer.from(content), text: '' });
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: content.length, url, proxy_url: url, content_type: contentType };
  }

  sendAutocomplete(name: string, options: CommandOptionValue[], place: Place): SentInteraction {
    return this.sendInteraction(4, { id: snowflake(), name, type: 1, options }, place);
  }

  sendMessageCommand(name: string, target: { content: string; author: FakeUser; embeds?: unknown[] }, place: Place): SentInteraction {
    const message = { ...this.userMessage(target.content, target.author, place), embeds: target.embeds ?? [] };
    this.storeMessage(message);
    return this.sendInteraction(2, { id: snowflake(), name, type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } }, place);
  }

  /** A button click; `message` is the stored message carrying `customId` (or `place.messageId`), else a stand-in the fake stores. */
  sendButton(customId: string, place: Place): SentInteraction {
    const message = this.componentMessage(customId, place, [{ type: 2, style: 1, label: 'Button', custom_id: customId }]);
    return this.sendInteraction(3, { custom_id: customId, component_type: 2 }, place, { message });
  }

  /** A string-select choice (component_type 3) of `values`, on the message carrying `customId` as for `sendButton`. */
  sendSelect(customId: string, values: string[], place: Place): SentInteraction {
    const options = values.map((value) => ({ label: value, value }));
    const message = this.componentMessage(customId, place, [{ type: 3, custom_id: customId, options, min_values: 1, max_values: Math.max(1, values.length) }]);
    return this.sendInteraction(3, { custom_id: customId, component_type: 3, values }, place, { message });
  }

  /** A modal submit (type 5): one action row per field, each a text input with its `custom_id` and `value`; `place.messageId` if opened from a component. */
  sendModalSubmit(customId: string, fields: Record<string, string>, place: Place): SentInteraction {
    const components = Object.entries(fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
    const message = place.messageId === undefined ? undefined : this.knownMessage(place.messageId);
    return this.sendInteraction(5, { custom_id: customId, components }, place, message ? { message } : {});
  }

  /** A message posted by `author` in the guild channel (default), another channel or thread (`place.channelId`), or their DM with the bot. */
  sendMessage(content: string, place: Place & { mentions?: FakeUser[] }): { id: string; channelId: string } {
    const message = this.userMessage(content, place.user, place, place.mentions ?? []);
    this.storeMessage(message);
    const inGuild = message.guild_id !== undefined;
    this.dispatch('MESSAGE_CREATE', inGuild ? { ...message, member: this.member(place, false) } : { ...message, channel_type: 1 });
    return { id: message.id, channelId: message.channel_id };
  }

  // ---- internals: payloads -----------------------------------------------------

  private channelFor(place: Place): string {
    this.users.set(place.user.id, place.user);
    const where = place.in ?? 'guild';
    if (where === 'other-guild') return this.foreignChannelId;
    if (where === 'guild') {
      const id = place.channelId ?? this.channelId;
      const channel = this.channels.get(id);
      if (!channel || typeof channel.guild_id !== 'string' || !this.memberGuilds.has(channel.guild_id)) throw new Error(`fake Discord: ${id} is not a channel of a guild the bot is in`);
      return id;
    }
    let id = this.dmChannels.get(place.user.id);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(place.user.id, id);
    }
    if (!this.channels.has(id)) this.channels.set(id, { id, type: 1, last_message_id: null, recipients: [place.user] });
    return id;
  }

  private member(place: Place, withUser = true): Record<string, unknown> {
    const permissions = BigInt(place.permissions ?? MEMBER_PERMISSIONS).toString();
    const member = { nick: place.nick ?? null, avatar: null, roles: [], joined_at: new Date(this.now()).toISOString(), premium_since: null, deaf: false, mute: false, pending: false, flags: 0 };
    return withUser ? { user: place.user, ...member, permissions } : member;
  }

  /** The bot's permissions in a channel, as `app_permissions` says: no posting where denied. */
  private appPermissions(channelId: string): string {
    const denied = PERMISSIONS.SendMessages | PERMISSIONS.SendMessagesInThreads | PERMISSIONS.CreatePublicThreads | PERMISSIONS.CreatePrivateThreads;
    return (this.isDenied(channelId) ? MEMBER_PERMISSIONS & ~denied : MEMBER_PERMISSIONS).toString();
  }

  private sendInteraction(type: number, data: Record<string, unknown>, place: Place, extra: { message?: StoredMessage } = {}): SentInteraction {
    const createdAt = this.now();
    const id = snowflake(createdAt);
    const token = `interaction-token-${randomBytes(12).toString('hex')}`;
    const where = place.in ?? 'guild';
    const channelId = this.channelFor(place);
    const channel = this.channels.get(channelId) as FakeChannel;
    const owners: Record<string, string> = where === 'guild' ? { '0': String(channel.guild_id) } : { '1': place.user.id };
    const context =
      where === 'dm'
        ? { channel: { id: channelId, type: 1, recipients: [place.user] }, user: place.user, context: 1 }
        : // In another guild only the user installed the app: Discord sends the guild id, but the bot has no such guild.
          { guild_id: channel.guild_id, guild_locale: 'en-US', channel, member: this.member(place), context: 0 };
    const state: InteractionState = { id, token, type, createdAt, channelId, user: place.user, owners, messageId: extra.message?.id, followUps: new Set() };
    this.interactions.set(id, state);
    this.interactionsByToken.set(token, state);
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      channel_id: channelId,
      ...context,
      authorizing_integration_owners: owners,
      app_permissions: this.appPermissions(channelId),
      locale: 'en-US',
      entitlements: [],
      ...extra,
    });
    return { id, token, createdAt, channelId, ...(extra.message ? { messageId: extra.message.id } : {}) };
  }

  /** The message a component sits on: as asked, else the latest stored one carrying `customId`, else a stand-in bot message. */
  private componentMessage(customId: string, place: Place, standIn: Record<string, unknown>[]): StoredMessage {
    if (place.messageId !== undefined) return this.knownMessage(place.messageId);
    const channelId = this.channelFor(place);
    const carrying = this.messagesIn(channelId)
      .reverse()
      .find((message) => customIds(message.components).includes(customId));
    if (carrying) return structuredClone(carrying);
    const message = this.botMessage({ components: [{ type: 1, components: standIn }] }, channelId, []);
    this.storeMessage(message);
    return structuredClone(message);
  }

  private knownMessage(id: string): StoredMessage {
    const message = this.storedMessage(id);
    if (!message) throw new Error(`fake Discord: no stored message ${id}`);
    return structuredClone(message);
  }

  private userMessage(content: string, author: FakeUser, place: Place, mentions: FakeUser[] = []): StoredMessage {
    const channelId = this.channelFor(place);
    const guildId = this.channels.get(channelId)?.guild_id;
    return {
      id: snowflake(this.now()),
      type: 0,
      channel_id: channelId,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
      author,
      content,
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions,
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
    };
  }

  private guildCreate(guildId = this.guildId): Record<string, unknown> {
    const guildChannels = [...this.channels.values()].filter((channel) => channel.guild_id === guildId);
    return {
      id: guildId,
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
      roles: [{ id: guildId, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: guildChannels.filter((channel) => channel.type !== 11 && channel.type !== 12),
      threads: guildChannels.filter((channel) => channel.type === 11 || channel.type === 12),
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

  private makeThread(input: { id: string; parentId: string; name: string; type: number; ownerId: string; autoArchive: number }): FakeChannel {
    const created = new Date(this.now()).toISOString();
    const thread: FakeChannel = {
      id: input.id,
      type: input.type,
      guild_id: this.channels.get(input.parentId)?.guild_id ?? this.guildId,
      parent_id: input.parentId,
      owner_id: input.ownerId,
      name: input.name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      rate_limit_per_user: 0,
      flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: input.autoArchive, archive_timestamp: created, locked: false, create_timestamp: created },
    };
    this.channels.set(thread.id, thread);
    // Discord tells the bot of every thread in its guilds; later sessions get them in GUILD_CREATE.
    if (this.shardState(this.shardFor('THREAD_CREATE', thread)).session) this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  private markThreadStarter(messageId: string, thread: FakeChannel): void {
    const message = this.messages.get(messageId);
    if (!message) return;
    message.thread = thread;
    message.flags = Number(message.flags ?? 0) | HAS_THREAD;
  }

  private storeMessage(message: StoredMessage): void {
    this.messages.set(message.id, message);
    const ids = this.messageIdsByChannel.get(message.channel_id) ?? [];
    ids.push(message.id);
    this.messageIdsByChannel.set(message.channel_id, ids);
    const channel = this.channels.get(message.channel_id);
    if (channel) {
      channel.last_message_id = message.id;
      if (typeof channel.message_count === 'number') channel.message_count += 1;
      if (typeof channel.total_message_sent === 'number') channel.total_message_sent += 1;
    }
  }

  /** A message by the bot as Discord stores it from a create body. */
  private botMessage(body: Record<string, unknown>, channelId: string, files: RecordedFile[]): StoredMessage {
    const guildId = this.channels.get(channelId)?.guild_id;
    const reference = body.message_reference as { message_id?: string } | undefined;
    return {
      id: snowflake(this.now()),
      type: reference ? 19 : 0,
      channel_id: channelId,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
      author: this.botUser,
      content: body.content ?? '',
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: this.attachmentsFor(body, files, []),
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      flags: body.flags ?? 0,
      ...(body.poll ? { poll: body.poll } : {}),
      ...(reference?.message_id ? { message_reference: { type: 0, message_id: reference.message_id, channel_id: channelId, ...(guildId === undefined ? {} : { guild_id: guildId }) } } : {}),
    };
  }

  /** A message sent through an interaction's callback or webhook: the bot's, marked as the interaction's. */
  private interactionMessage(state: InteractionState, body: Record<string, unknown>, files: RecordedFile[]): StoredMessage {
    const message = this.botMessage(body, state.channelId, files);
    message.webhook_id = this.applicationId;
    message.application_id = this.applicationId;
    message.interaction_metadata = { id: state.id, type: state.type, user: state.user, authorizing_integration_owners: state.owners };
    return message;
  }

  /** Attachments after a create or edit: those `attachments` keeps by id, plus one per uploaded file. */
  private attachmentsFor(body: Record<string, unknown>, files: RecordedFile[], existing: unknown): Record<string, unknown>[] {
    const listed = Array.isArray(body.attachments) ? (body.attachments as { id?: unknown; filename?: string; description?: string }[]) : undefined;
    const previous = Array.isArray(existing) ? (existing as { id: string }[]) : [];
    const kept = listed ? previous.filter((attachment) => listed.some((entry) => String(entry.id) === attachment.id)) : previous;
    const added = files.map((file) => {
      const index = /\[(\d+)\]$/.exec(file.field)?.[1] ?? '';
      const entry = listed?.find((candidate) => String(candidate.id) === index);
      const id = snowflake(this.now());
      const filename = entry?.filename ?? file.name;
      this.attachmentFiles.set(id, file);
      const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(filename)}`;
      return { id, filename, size: file.content.length, url, proxy_url: url, content_type: file.contentType, ...(entry?.description ? { description: entry.description } : {}) };
    });
    return [...kept, ...added];
  }

  private applyEdit(message: StoredMessage, body: Record<string, unknown>, files: RecordedFile[]): void {
    const wasLoading = (Number(message.flags ?? 0) & LOADING) !== 0;
    if ('content' in body) message.content = body.content ?? '';
    if ('embeds' in body) message.embeds = body.embeds ?? [];
    if ('components' in body) message.components = body.components ?? [];
    if ('attachments' in body || files.length > 0) message.attachments = this.attachmentsFor(body, files, message.attachments);
    // An edit cannot make a message ephemeral or public; the loading state ends with the first edit.
    const kept = Number(message.flags ?? 0) & EPHEMERAL;
    const asked = typeof body.flags === 'number' ? body.flags & ~(EPHEMERAL | LOADING) : Number(message.flags ?? 0) & ~(EPHEMERAL | LOADING);
    message.flags = kept | asked;
    if (!wasLoading) message.edited_timestamp = new Date(this.now()).toISOString();
  }

  // ---- internals: gateway ------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    // With one shard, a new connection replaces the old at once; with more, IDENTIFY or RESUME says whose it is.
    const single = this.shardCount === 1 ? this.shardState(0) : undefined;
    if (single) {
      single.socket = socket;
      single.live = false;
    }
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const state of this.shardStates) {
        if (state.socket !== socket) continue;
        state.socket = undefined;
        state.live = false;
      }
      this.notify();
    });
    socket.on('message', (raw) => this.onGatewayMessage(socket, raw.toString()));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
  }

  /** The shard an IDENTIFY asks for, or a close code: 4011 for too few shards (sharding required), 4010 for a shard this fake does not run. */
  private identifiedShard(field: unknown): { shard: number } | { close: number } {
    const [id, count] = Array.isArray(field) ? (field as unknown[]) : [0, 1];
    if (typeof count === 'number' && count < this.shardCount) return { close: 4011 };
    // Discord would take more shards than it recommends; the fake routes by the count it was started with, so it takes no other.
    if (typeof id !== 'number' || count !== this.shardCount || !Number.isInteger(id) || id < 0 || id >= this.shardCount) return { close: 4010 };
    return { shard: id };
  }

  private onGatewayMessage(socket: WebSocket, raw: string): void {
    const payload = JSON.parse(raw) as { op: number; d: Record<string, unknown> | null };
    switch (payload.op) {
      case 1:
        socket.send(JSON.stringify({ op: 11 }));
        break;
      case 2: {
        this.identifies += 1;
        this.lastGatewayToken = String(payload.d?.token);
        this.lastIntents = Number(payload.d?.intents);
        const field = payload.d?.shard;
        this.identifiedShards.push(Array.isArray(field) ? [Number(field[0]), Number(field[1])] : undefined);
        const asked = this.identifiedShard(field);
        if ('close' in asked) {
          socket.close(asked.close, asked.close === 4011 ? 'Sharding required.' : 'Invalid shard.');
          break;
        }
        const state = this.shardState(asked.shard);
        if (state.socket && state.socket !== socket) state.socket.close(4000, 'fake Discord: another session took this shard');
        state.socket = socket;
        state.session = { id: randomBytes(16).toString('hex'), events: [] };
        state.live = true;
        const guilds = [...this.memberGuilds].filter((guildId) => this.shardOf(guildId) === asked.shard);
        this.dispatchOn(asked.shard, 'READY', {
          v: 10,
          user: this.botUser,
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          session_id: state.session.id,
          resume_gateway_url: this.gatewayUrl,
          shard: [asked.shard, this.shardCount],
          application: { id: this.applicationId, flags: 0 },
        });
        for (const guildId of guilds) this.dispatchOn(asked.shard, 'GUILD_CREATE', this.guildCreate(guildId));
        this.readyCount += 1;
        break;
      }
      case 6: {
        this.resumes += 1;
        this.lastGatewayToken = String(payload.d?.token);
        const shard = this.shardStates.findIndex((candidate) => candidate.session !== undefined && candidate.session.id === payload.d?.session_id);
        const state = this.shardStates[shard];
        if (!state?.session) {
          socket.send(JSON.stringify({ op: 9, d: false }));
          break;
        }
        state.socket = socket;
        // Everything after the last event the bot saw, with its original sequence number, then RESUMED.
        for (const missed of state.session.events.slice(Number(payload.d?.seq ?? 0))) socket.send(missed);
        state.live = true;
        this.dispatchOn(shard, 'RESUMED', {});
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
    const at = this.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(request);
    const { body, files } = await parseBody(raw, request.headers['content-type'] ?? '');
    const call: RecordedCall = {
      method: request.method ?? 'GET',
      path: url.pathname,
      route: decodeURIComponent(url.pathname),
      query: url.search,
      body,
      files,
      authorized: typeof request.headers.authorization === 'string',
      status: 0,
      response: null,
      at,
    };
    const attachment = /^\/attachments\/(\d+)\//.exec(call.route);
    if (call.method === 'GET' && attachment) {
      const file = this.attachmentFiles.get(attachment[1] ?? '');
      response.writeHead(file ? 200 : 404, { 'content-type': file?.contentType ?? 'text/plain' });
      response.end(file?.content ?? 'not found');
      return;
    }
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.matches(call));
    if (fault) {
      fault.remaining -= 1;
      call.status = fault.status;
      call.response = FAULT_BODIES[fault.status](fault.retryAfterSeconds);
      this.record(call);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.status === 429) {
        headers['retry-after'] = String(fault.retryAfterSeconds);
        headers['x-ratelimit-scope'] = 'user';
      }
      response.writeHead(fault.status, headers);
      response.end(JSON.stringify(call.response));
      return;
    }
    const [status, result] = this.answer(call);
    call.status = status;
    call.response = result;
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

  private answer(call: RecordedCall): Answer {
    const route = call.route.replace(/^\/api\/v\d+/, '');
    const key = `${call.method} ${route}`;
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (key === 'GET /gateway/bot') {
      return [200, { url: this.gatewayUrl, shards: this.shardCount, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    let match = /^POST \/interactions\/(\d+)\/([^/]+)\/callback$/.exec(key);
    if (match) return this.callback(call, match[1] ?? '', match[2] ?? '', body);
    match = /^(GET|POST|PATCH|DELETE) \/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(key);
    if (match) return this.webhook(call, match[2] ?? '', match[3] ?? '', match[4], body);
    if (key === 'POST /users/@me/channels') {
      const recipient = String(body.recipient_id);
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      const channel = this.channels.get(id) ?? { id, type: 1, last_message_id: null, recipients: [this.users.get(recipient) ?? { ...makeUser('someone'), id: recipient }] };
      this.channels.set(id, channel);
      return [200, channel];
    }
    match = /^GET \/channels\/(\d+)$/.exec(key);
    if (match) return this.channelAccess(match[1] ?? '', 'read') ?? [200, this.channels.get(match[1] ?? '')];
    match = /^POST \/channels\/(\d+)\/messages$/.exec(key);
    if (match) return this.channelMessage(body, call.files, match[1] ?? '');
    match = /^(GET|PATCH|DELETE) \/channels\/(\d+)\/messages\/(\d+)$/.exec(key);
    if (match) return this.existingChannelMessage(call.method, match[2] ?? '', match[3] ?? '', body, call.files);
    match = /^POST \/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(key);
    if (match) return this.startThread(match[1] ?? '', body, match[2]);
    match = /^POST \/channels\/(\d+)\/threads$/.exec(key);
    if (match) return this.startThread(match[1] ?? '', body);
    match = /^PUT \/applications\/(\d+)(\/guilds\/\d+)?\/commands$/.exec(key);
    if (match && Array.isArray(call.body)) {
      return [200, (call.body as Record<string, unknown>[]).map((command) => ({ ...command, id: snowflake(), application_id: match?.[1], version: snowflake() }))];
    }
    return [404, { message: `fake Discord does not know ${key}`, code: 0 }];
  }

  /** POST /interactions/{id}/{token}/callback: once, within the deadline, with a type this interaction allows. */
  private callback(call: RecordedCall, id: string, token: string, body: Record<string, unknown>): Answer {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) return UNKNOWN_INTERACTION;
    if (state.response !== undefined) return ALREADY_ACKNOWLEDGED;
    if (call.at - state.createdAt > this.callbackDeadlineMs) return UNKNOWN_INTERACTION;
    const type = Number(body.type);
    const kind = INTERACTION_KINDS[state.type] ?? 'unknown';
    if (!(CALLBACK_TYPES[state.type] ?? []).includes(type)) {
      return formError([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${String(body.type)} is not valid for a ${kind} interaction.` }]);
    }
    if ((type === 6 || type === 7) && state.messageId === undefined) {
      return formError([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${type} needs a message to update, and this ${kind} interaction has none.` }]);
    }
    const data = isRecord(body.data) ? body.data : {};
    const issues = type === 4 ? messageIssues(data) : type === 7 ? messageIssues(data, this.messages.get(state.messageId ?? '')) : type === 9 ? modalIssues(data) : type === 8 ? choiceIssues(data) : [];
    if (issues.length > 0) return formError(issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] })));
    if (type === 4 && isEmptyMessage(data, call.files)) return EMPTY_MESSAGE;

    state.response = type;
    let message: StoredMessage | undefined;
    if (type === 4 || type === 5) {
      const flags = type === 5 ? (Number(data.flags ?? 0) & EPHEMERAL) | LOADING : data.flags;
      message = this.interactionMessage(state, type === 5 ? { flags } : data, type === 5 ? [] : call.files);
      this.storeMessage(message);
    } else if (type === 6 || type === 7) {
      message = this.messages.get(state.messageId ?? '');
      if (message && type === 7) this.applyEdit(message, data, call.files);
    }
    state.originalId = message?.id;
    if (!call.query.includes('with_response=true')) return [204, null];
    const flags = Number(message?.flags ?? 0);
    const interaction = {
      id: state.id,
      type: state.type,
      ...(message ? { response_message_id: message.id, response_message_loading: (flags & LOADING) !== 0, response_message_ephemeral: (flags & EPHEMERAL) !== 0 } : {}),
    };
    return [200, { interaction, resource: { type, ...(message && type !== 6 ? { message } : {}) } }];
  }

  /** The interaction's webhook: after its callback, for 15 minutes; edits and reads only of its own messages. */
  private webhook(call: RecordedCall, applicationId: string, token: string, messageRef: string | undefined, body: Record<string, unknown>): Answer {
    const state = this.interactionsByToken.get(token);
    if (applicationId !== this.applicationId || !state || state.response === undefined || state.response === 8) return UNKNOWN_WEBHOOK;
    if (call.at - state.createdAt > this.webhookLifetimeMs) return UNKNOWN_WEBHOOK;
    if (messageRef === undefined) {
      if (call.method !== 'POST') return [405, { message: '405: Method Not Allowed', code: 0 }];
      const issues = messageIssues(body);
      if (issues.length > 0) return formError(issues);
      if (isEmptyMessage(body, call.files)) return EMPTY_MESSAGE;
      const message = this.interactionMessage(state, body, call.files);
      this.storeMessage(message);
      state.followUps.add(message.id);
      return [200, message];
    }
    const id = messageRef === '@original' ? state.originalId : messageRef;
    const ours = id !== undefined && (id === state.originalId || state.followUps.has(id));
    const message = ours ? this.storedMessage(id) : undefined;
    if (!message || call.method === 'POST') return UNKNOWN_MESSAGE;
    if (call.method === 'GET') return [200, message];
    if (call.method === 'DELETE') {
      this.deletedMessages.add(message.id);
      return [204, null];
    }
    const issues = messageIssues(body, message);
    if (issues.length > 0) return formError(issues);
    this.applyEdit(message, body, call.files);
    return [200, message];
  }

  private isDenied(channelId: string): boolean {
    const parent = this.channels.get(channelId)?.parent_id;
    return this.deniedChannels.has(channelId) || (typeof parent === 'string' && this.deniedChannels.has(parent));
  }

  /** Refuses unknown channels, channels of guilds the bot is not in, and posting where denied. */
  private channelAccess(channelId: string, need: 'read' | 'send'): Answer | undefined {
    const channel = this.channels.get(channelId);
    if (!channel) return UNKNOWN_CHANNEL;
    if (typeof channel.guild_id === 'string' && !this.memberGuilds.has(channel.guild_id)) return MISSING_ACCESS;
    if (need === 'send' && this.isDenied(channelId)) return MISSING_PERMISSIONS;
    const recipient = channel.type === 1 ? [...this.dmChannels].find(([, id]) => id === channelId)?.[0] : undefined;
    if (need === 'send' && recipient !== undefined && this.closedDms.has(recipient)) return CANNOT_MESSAGE_USER;
    return undefined;
  }

  /** A reply to a deleted message fails unless it says fail_if_not_exists: false; then it is sent as a plain message. */
  private channelMessage(body: Record<string, unknown>, files: RecordedFile[], channelId: string): Answer {
    const refused = this.channelAccess(channelId, 'send');
    if (refused) return refused;
    const reference = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    let content = body;
    if (reference?.message_id !== undefined && this.deletedMessages.has(reference.message_id)) {
      if (reference.fail_if_not_exists !== false) {
        return [400, { message: 'Invalid Form Body', code: 50035, errors: { message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] } } }];
      }
      const { message_reference: _dropped, ...rest } = body;
      content = rest;
    }
    const issues = messageIssues(content);
    if (issues.length > 0) return formError(issues);
    if (isEmptyMessage(content, files)) return EMPTY_MESSAGE;
    const message = this.botMessage(content, channelId, files);
    this.storeMessage(message);
    return [200, message];
  }

  private existingChannelMessage(method: string, channelId: string, messageId: string, body: Record<string, unknown>, files: RecordedFile[]): Answer {
    const refused = this.channelAccess(channelId, 'read');
    if (refused) return refused;
    const message = this.storedMessage(messageId);
    if (!message || message.channel_id !== channelId || (Number(message.flags ?? 0) & EPHEMERAL) !== 0) return UNKNOWN_MESSAGE;
    if (method === 'GET') return [200, message];
    const own = (message.author as FakeUser | undefined)?.id === this.botUser.id;
    if (method === 'DELETE') {
      // Deleting someone else's message takes Manage Messages, which the bot does not have.
      if (!own) return MISSING_PERMISSIONS;
      this.deletedMessages.add(messageId);
      return [204, null];
    }
    if (!own) return refusal(403, 50005, 'Cannot edit a message authored by another user');
    const issues = messageIssues(body, message);
    if (issues.length > 0) return formError(issues);
    this.applyEdit(message, body, files);
    return [200, message];
  }

  /** POST /channels/{c}/threads, or …/messages/{m}/threads (the thread then has the message's id, as on Discord). */
  private startThread(channelId: string, body: Record<string, unknown>, messageId?: string): Answer {
    const refused = this.channelAccess(channelId, 'send');
    if (refused) return refused;
    const parent = this.channels.get(channelId) as FakeChannel;
    if (parent.type !== 0 && parent.type !== 5) return WRONG_CHANNEL_TYPE;
    let starter: StoredMessage | undefined;
    if (messageId !== undefined) {
      starter = this.storedMessage(messageId);
      if (!starter || starter.channel_id !== channelId || (Number(starter.flags ?? 0) & EPHEMERAL) !== 0) return UNKNOWN_MESSAGE;
      if (starter.thread !== undefined) return refusal(400, 160004, 'A thread has already been created for this message');
    }
    const issues: Issue[] = [];
    checkText(issues, ['name'], body.name, 100, true);
    if (body.auto_archive_duration !== undefined && !THREAD_ARCHIVE_MINUTES.includes(Number(body.auto_archive_duration))) {
      issues.push({ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${THREAD_ARCHIVE_MINUTES.join(', ')}}.` });
    }
    // Without a message, v10 threads are private unless asked otherwise.
    const type = messageId !== undefined ? 11 : Number(body.type ?? 12);
    if (type !== 11 && type !== 12) issues.push({ path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {11, 12}.' });
    if (issues.length > 0) return formError(issues);
    const thread = this.makeThread({ id: messageId ?? snowflake(this.now()), parentId: channelId, name: String(body.name), type, ownerId: this.botUser.id, autoArchive: Number(body.auto_archive_duration ?? 1440) });
    if (messageId !== undefined) this.markThreadStarter(messageId, thread);
    return [201, thread];
  }
}

/** Refusals a client would not retry: `answerTo` reports them at once instead of waiting out its timeout. */
const FINAL_REFUSALS = new Set([400, 403, 404]);

function refusedAnswer(call: RecordedCall, what: string): void {
  if (call.status >= 300) throw new Error(`fake Discord refused ${what} with ${call.status}: ${JSON.stringify(call.response)}`);
}

const FAULT_BODIES: Record<FaultStatus, (retryAfter: number) => unknown> = {
  500: () => ({ message: 'Internal Server Error', code: 0 }),
  429: (retryAfter) => ({ message: 'You are being rate limited.', retry_after: retryAfter, global: false }),
  401: () => ({ message: '401: Unauthorized', code: 0 }),
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** JSON, or multipart/form-data whose `payload_json` is the body and whose `files[n]` parts are files. */
async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (!contentType.startsWith('multipart/form-data')) {
    const text = raw.toString('utf8');
    try {
      return { body: JSON.parse(text), files: [] };
    } catch {
      return { body: text, files: [] };
    }
  }
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: RecordedFile[] = [];
  const fields: Record<string, string> = {};
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[field] = value;
      continue;
    }
    const content = Buffer.from(await value.arrayBuffer());
    files.push({ field, name: value.name, contentType: value.type || 'application/octet-stream', content, text: content.toString('utf8') });
  }
  let body: unknown = fields;
  if (fields.payload_json !== undefined) {
    try {
      body = JSON.parse(fields.payload_json);
    } catch {
      body = fields.payload_json;
    }
  }
  return { body, files };
}

// ---- payload validation, as Discord answers it (400, code 50035, errors by path) ----

interface Issue {
  path: (string | number)[];
  code: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formError(issues: Issue[]): Answer {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = errors;
    for (const key of issue.path) {
      const next = (node[String(key)] ??= {}) as Record<string, unknown>;
      node = next;
    }
    ((node._errors ??= []) as unknown[]).push({ code: issue.code, message: issue.message });
  }
  return [400, { code: 50035, message: 'Invalid Form Body', errors }];
}

/** Lengths in UTF-16 units, as the bot's own limits count them. */
function checkText(issues: Issue[], path: Issue['path'], value: unknown, max: number, required = false): void {
  if (value === undefined || value === null) {
    if (required) issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof value !== 'string') {
    issues.push({ path, code: 'STRING_TYPE_CONVERT', message: `Could not interpret "${String(value)}" as string.` });
    return;
  }
  if (required && (value.length < 1 || value.length > max)) issues.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${max} in length.` });
  else if (value.length > max) issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
}

/** The array at `path` (empty if absent), after checking its length. */
function checkList(issues: Issue[], path: Issue['path'], value: unknown, max: number, min = 0): Record<string, unknown>[] {
  if (value === undefined || value === null) {
    if (min > 0) issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return [];
  }
  if (!Array.isArray(value)) {
    issues.push({ path, code: 'LIST_TYPE_CONVERT', message: 'Must be an array.' });
    return [];
  }
  if (value.length > max || value.length < min) {
    issues.push({ path, code: min > 0 ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH', message: min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.` });
  }
  return value.map((item) => (isRecord(item) ? item : {}));
}

const textLength = (value: unknown) => (typeof value === 'string' ? value.length : 0);

/** Every custom_id in a component tree (rows, containers, sections, labels). */
function customIds(components: unknown): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRecord(node)) return;
    if (typeof node.custom_id === 'string') ids.push(node.custom_id);
    walk(node.components);
    walk(node.component);
    walk(node.accessory);
  };
  walk(components);
  return ids;
}

function duplicateIdIssues(issues: Issue[], path: Issue['path'], components: unknown): void {
  const ids = customIds(components);
  if (new Set(ids).size !== ids.length) issues.push({ path, code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
}

/** `edited`: the stored message an edit applies to, whose Components V2 flag still holds. */
function messageIssues(body: Record<string, unknown>, edited?: StoredMessage): Issue[] {
  const issues: Issue[] = [];
  checkText(issues, ['content'], body.content, 2000);
  const v2 = ((Number(body.flags ?? 0) | Number(edited?.flags ?? 0)) & IS_COMPONENTS_V2) !== 0;
  if (v2) {
    for (const field of ['content', 'embeds', 'poll', 'sticker_ids']) {
      const value = body[field];
      if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
        issues.push({ path: [field], code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', message: `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2` });
      }
    }
  }
  embedIssues(issues, body.embeds);
  componentIssues(issues, body.components, v2);
  if (isRecord(body.allowed_mentions)) {
    const allowed = body.allowed_mentions;
    const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
    for (const kind of ['users', 'roles']) {
      const listed = allowed[kind];
      if (parse.includes(kind) && Array.isArray(listed) && listed.length > 0) {
        issues.push({ path: ['allowed_mentions'], code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.` });
      }
      if (Array.isArray(listed) && listed.length > 100) issues.push({ path: ['allowed_mentions', kind], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
    }
  }
  if (isRecord(body.poll)) {
    checkText(issues, ['poll', 'question', 'text'], isRecord(body.poll.question) ? body.poll.question.text : undefined, 300, true);
    checkList(issues, ['poll', 'answers'], body.poll.answers, 10, 1).forEach((answer, index) => {
      checkText(issues, ['poll', 'answers', index, 'poll_media', 'text'], isRecord(answer.poll_media) ? answer.poll_media.text : undefined, 55, true);
    });
  }
  return issues;
}

function embedIssues(issues: Issue[], value: unknown): void {
  let total = 0;
  checkList(issues, ['embeds'], value, 10).forEach((embed, i) => {
    const path = ['embeds', i];
    checkText(issues, [...path, 'title'], embed.title, 256);
    checkText(issues, [...path, 'description'], embed.description, 4096);
    total += textLength(embed.title) + textLength(embed.description);
    checkList(issues, [...path, 'fields'], embed.fields, 25).forEach((field, j) => {
      checkText(issues, [...path, 'fields', j, 'name'], field.name, 256, true);
      checkText(issues, [...path, 'fields', j, 'value'], field.value, 1024, true);
      total += textLength(field.name) + textLength(field.value);
    });
    if (isRecord(embed.footer)) {
      checkText(issues, [...path, 'footer', 'text'], embed.footer.text, 2048, true);
      total += textLength(embed.footer.text);
    }
    if (isRecord(embed.author)) {
      checkText(issues, [...path, 'author', 'name'], embed.author.name, 256, true);
      total += textLength(embed.author.name);
    }
  });
  if (total > 6000) issues.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
}

const SELECT_TYPES = [3, 5, 6, 7, 8];

/** Legacy messages: ≤ 5 action rows at the top; Components V2: any layout, ≤ 40 components in all. Rows and their children are checked either way. */
function componentIssues(issues: Issue[], components: unknown, v2: boolean): void {
  if (components === undefined || components === null) return;
  if (!v2) {
    checkList(issues, ['components'], components, 5).forEach((row, i) => {
      if (row.type !== 1) issues.push({ path: ['components', i, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Only action rows may be top-level components of a message without IS_COMPONENTS_V2.' });
      else rowIssues(issues, ['components', i], row);
    });
  } else {
    let count = 0;
    const walk = (node: unknown, path: Issue['path']): void => {
      if (Array.isArray(node)) return node.forEach((child, index) => walk(child, [...path, index]));
      if (!isRecord(node)) return;
      count += 1;
      if (node.type === 1) {
        count += Array.isArray(node.components) ? node.components.length : 0;
        return rowIssues(issues, path, node);
      }
      if (node.type === 2) return buttonIssues(issues, path, node);
      if (SELECT_TYPES.includes(Number(node.type))) return selectIssues(issues, path, node);
      walk(node.components, [...path, 'components']);
      if (node.accessory !== undefined) walk(node.accessory, [...path, 'accessory']);
    };
    walk(components, ['components']);
    if (count > 40) issues.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 40 or fewer components in total.' });
  }
  duplicateIdIssues(issues, ['components'], components);
}

function rowIssues(issues: Issue[], path: Issue['path'], row: Record<string, unknown>): void {
  const children = checkList(issues, [...path, 'components'], row.components, 5, 1);
  const selects = children.filter((child) => SELECT_TYPES.includes(Number(child.type))).length;
  if (selects > 0 && children.length > 1) issues.push({ path: [...path, 'components'], code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'The specified component exceeds the maximum width' });
  children.forEach((child, index) => {
    const at = [...path, 'components', index];
    if (child.type === 2) buttonIssues(issues, at, child);
    else if (SELECT_TYPES.includes(Number(child.type))) selectIssues(issues, at, child);
    else issues.push({ path: [...at, 'type'], code: 'UNION_TYPE_CHOICES', message: `Component type ${String(child.type)} cannot go in a message's action row.` });
  });
}

function buttonIssues(issues: Issue[], path: Issue['path'], button: Record<string, unknown>): void {
  const style = Number(button.style);
  if (![1, 2, 3, 4, 5, 6].includes(style)) issues.push({ path: [...path, 'style'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4, 5, 6}.' });
  if (style === 5) {
    checkText(issues, [...path, 'url'], button.url, 512, true);
    if (button.custom_id !== undefined) issues.push({ path: [...path, 'custom_id'], code: 'BUTTON_LINK_CUSTOM_ID', message: 'A link button cannot have a custom_id.' });
  } else if (style !== 6) {
    checkText(issues, [...path, 'custom_id'], button.custom_id, 100, true);
  }
  checkText(issues, [...path, 'label'], button.label, 80);
  if (style !== 6 && !button.label && !button.emoji) issues.push({ path: [...path, 'label'], code: 'BUTTON_COMPONENT_INVALID', message: 'A button needs a label or an emoji.' });
}

function selectIssues(issues: Issue[], path: Issue['path'], select: Record<string, unknown>): void {
  checkText(issues, [...path, 'custom_id'], select.custom_id, 100, true);
  checkText(issues, [...path, 'placeholder'], select.placeholder, 150);
  if (select.type === 3) {
    checkList(issues, [...path, 'options'], select.options, 25, 1).forEach((option, index) => {
      checkText(issues, [...path, 'options', index, 'label'], option.label, 100, true);
      checkText(issues, [...path, 'options', index, 'value'], option.value, 100, true);
      checkText(issues, [...path, 'options', index, 'description'], option.description, 100);
    });
  }
  for (const [field, min] of [['min_values', 0], ['max_values', 1]] as const) {
    const value = select[field];
    if (value !== undefined && (typeof value !== 'number' || value < min || value > 25)) issues.push({ path: [...path, field], code: 'NUMBER_TYPE_MAX', message: `Must be between ${min} and 25.` });
  }
}

/** A modal: custom_id ≤ 100, title ≤ 45, 1–5 rows of one text input (label ≤ 45), or labels and text displays. */
function modalIssues(data: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  checkText(issues, ['custom_id'], data.custom_id, 100, true);
  checkText(issues, ['title'], data.title, 45, true);
  checkList(issues, ['components'], data.components, 5, 1).forEach((component, i) => {
    const path = ['components', i];
    if (component.type === 1) {
      checkList(issues, [...path, 'components'], component.components, 1, 1).forEach((input, j) => {
        if (input.type === 4) textInputIssues(issues, [...path, 'components', j], input, true);
        else issues.push({ path: [...path, 'components', j, 'type'], code: 'UNION_TYPE_CHOICES', message: 'An action row in a modal holds one text input.' });
      });
    } else if (component.type === 18) {
      checkText(issues, [...path, 'label'], component.label, 45, true);
      checkText(issues, [...path, 'description'], component.description, 100);
      const inner = isRecord(component.component) ? component.component : undefined;
      if (!inner) issues.push({ path: [...path, 'component'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      else if (inner.type === 4) textInputIssues(issues, [...path, 'component'], inner, false);
      else if (SELECT_TYPES.includes(Number(inner.type))) selectIssues(issues, [...path, 'component'], inner);
      else issues.push({ path: [...path, 'component', 'type'], code: 'UNION_TYPE_CHOICES', message: 'A label holds a text input or a select menu.' });
    } else if (component.type === 10) {
      checkText(issues, [...path, 'content'], component.content, 4000, true);
    } else {
      issues.push({ path: [...path, 'type'], code: 'UNION_TYPE_CHOICES', message: `Component type ${String(component.type)} cannot go in a modal.` });
    }
  });
  duplicateIdIssues(issues, ['components'], data.components);
  return issues;
}

function textInputIssues(issues: Issue[], path: Issue['path'], input: Record<string, unknown>, labelRequired: boolean): void {
  checkText(issues, [...path, 'custom_id'], input.custom_id, 100, true);
  checkText(issues, [...path, 'label'], input.label, 45, labelRequired);
  if (input.style !== 1 && input.style !== 2) issues.push({ path: [...path, 'style'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2}.' });
  checkText(issues, [...path, 'placeholder'], input.placeholder, 100);
  checkText(issues, [...path, 'value'], input.value, 4000);
}

/** An autocomplete result: ≤ 25 choices, names 1–100, string values ≤ 100. */
function choiceIssues(data: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  // Present, but possibly empty: Discord then shows "no options".
  if (!Array.isArray(data.choices)) issues.push({ path: ['choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  checkList(issues, ['choices'], data.choices, 25).forEach((choice, index) => {
    checkText(issues, ['choices', index, 'name'], choice.name, 100, true);
    if (typeof choice.value === 'string') checkText(issues, ['choices', index, 'value'], choice.value, 100);
    else if (typeof choice.value !== 'number') issues.push({ path: ['choices', index, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  });
  return issues;
}

function isEmptyMessage(body: Record<string, unknown>, files: RecordedFile[]): boolean {
  const some = (value: unknown) => Array.isArray(value) && value.length > 0;
  return !(textLength(body.content) > 0 || some(body.embeds) || some(body.components) || some(body.sticker_ids) || isRecord(body.poll) || files.length > 0);
}
