/**
 * Footnote's HTTP interactions endpoint driven as Discord drives it, on
 * 127.0.0.1, for the end-to-end tests and the bench:
 *
 * - `InteractionKeys`: an application key pair made for the run; requests are
 *   signed with it as Discord signs them (Ed25519 over timestamp + body).
 * - `HttpDiscord`: the fake Discord seen through an interactions endpoint. The
 *   fake makes each interaction (so it knows its id, token and messages); this
 *   relays it, signed, to the endpoint, and hands the HTTP response back to the
 *   fake as the interaction's callback, where the fake's rules apply (one
 *   response, within 3 s, of a type that interaction allows). Its REST front
 *   (DISCORD_API_URL for the workers) passes every call on to the fake, holding
 *   a webhook call until the HTTP response it follows has been relayed, as
 *   Discord has it before any later request.
 * - `WorkerProcess`: `src/main.ts` started as an interactions worker (no
 *   DISCORD_TOKEN), its ports read from its log.
 * - `RoundRobin`: a load balancer in front of several workers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { ROOT } from './app.ts';
import { failOnExit, stopChild, type LogLine } from './bot-process.ts';
import type { FakeDiscord, SentInteraction } from './fake-discord.ts';

export class InteractionKeys {
  readonly publicKeyHex: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKeyHex = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
  }

  sign(timestamp: string, body: string | Buffer): string {
    return sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), this.privateKey).toString('hex');
  }

  /** The headers Discord sends, signed at `atMs` (now by default). */
  headers(body: string | Buffer, atMs = Date.now()): Record<string, string> {
    const timestamp = String(Math.floor(atMs / 1000));
    return { 'content-type': 'application/json', 'x-signature-ed25519': this.sign(timestamp, body), 'x-signature-timestamp': timestamp };
  }
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The body as JSON, when it is. */
  json: unknown;
}

async function answerOf(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** POSTs `body` to `url` with the given headers (signed ones, or deliberately wrong ones). */
export async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<HttpAnswer> {
  return answerOf(await fetch(url, { method: 'POST', body, headers }));
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

async function listenLocal(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closeLocal(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Passes a request on to 127.0.0.1:`port`, same method, path, headers and body, and sends back what it answers. */
function forward(request: IncomingMessage, body: Buffer, response: ServerResponse, port: number): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.url, headers: { ...request.headers, host: `127.0.0.1:${port}` } }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.once('end', resolve);
    });
    upstream.once('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
      resolve();
    });
    upstream.end(body);
  });
}

const WEBHOOK_TOKEN = /\/webhooks\/\d+\/([^/?]+)/;
/** How long the REST front holds a webhook call for its interaction's HTTP response; then the fake decides. */
const HOLD_MS = 4_000;

export class HttpDiscord {
  /** Every interaction payload the fake sent, by id. */
  private readonly payloads = new Map<string, Record<string, unknown>>();
  private readonly payloadWaiters = new Map<string, (payload: Record<string, unknown>) => void>();
  /** Interactions whose HTTP response was relayed to the fake, by token. */
  private readonly relayed = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  /** Every REST call the workers made, as the front saw it. */
  readonly restCalls: { method: string; path: string }[] = [];

  private constructor(
    readonly fake: FakeDiscord,
    readonly keys: InteractionKeys,
    private readonly socket: WebSocket,
    private readonly front: Server,
    private readonly frontPort: number,
  ) {}

  /** Connects to the fake's gateway (so it has a session to send interactions in) and opens the REST front. */
  static async start(fake: FakeDiscord, keys = new InteractionKeys()): Promise<HttpDiscord> {
    const socket = new WebSocket(fake.gatewayUrl);
    const front = createServer();
    const port = await listenLocal(front);
    const discord = new HttpDiscord(fake, keys, socket, front, port);
    front.on('request', (request, response) => void discord.onRest(request, response));
    socket.on('message', (raw) => discord.onGateway(String(raw)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        socket.send(JSON.stringify({ op: 2, d: { token: 'http-interactions-relay', intents: 0, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
        resolve();
      });
      socket.once('error', reject);
    });
    await fake.waitForReady(1);
    return discord;
  }

  /** DISCORD_API_URL for the workers. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.frontPort}/api`;
  }

  async close(): Promise<void> {
    this.socket.terminate();
    await closeLocal(this.front);
  }

  /** The interaction as the fake made it: the JSON Discord would POST. */
  payload(sent: SentInteraction, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const known = this.payloads.get(sent.id);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no INTERACTION_CREATE for ${sent.id} within ${timeoutMs} ms`)), timeoutMs);
      this.payloadWaiters.set(sent.id, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  /**
   * Sends the interaction, signed, to `endpoint` (…/interactions) and relays its
   * HTTP response to the fake as the callback. Resolves with the HTTP answer.
   */
  async deliver(sent: SentInteraction, endpoint: string): Promise<HttpAnswer> {
    const body = JSON.stringify(await this.payload(sent));
    const answer = await post(endpoint, body, this.keys.headers(body));
    if (answer.status === 200 && answer.json !== undefined) {
      await fetch(`${this.fake.apiUrl}/v10/interactions/${sent.id}/${sent.token}/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: answer.text });
    }
    this.relay(sent.token).resolve();
    return answer;
  }

  private relay(token: string): { promise: Promise<void>; resolve: () => void } {
    let entry = this.relayed.get(token);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      this.relayed.set(token, entry);
    }
    return entry;
  }

  private onGateway(raw: string): void {
    const frame = JSON.parse(raw) as { op: number; t?: string; d?: Record<string, unknown> };
    if (frame.op !== 0 || frame.t !== 'INTERACTION_CREATE' || !frame.d) return;
    const id = String(frame.d.id);
    this.payloads.set(id, frame.d);
    this.payloadWaiters.get(id)?.(frame.d);
    this.payloadWaiters.delete(id);
  }

  private async onRest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request);
    const path = request.url ?? '/';
    this.restCalls.push({ method: request.method ?? 'GET', path });
    const token = WEBHOOK_TOKEN.exec(decodeURIComponent(path))?.[1];
    if (token !== undefined) await Promise.race([this.relay(token).promise, new Promise((resolve) => setTimeout(resolve, HOLD_MS))]);
    await forward(request, body, response, this.fake.port);
  }
}

/** A round-robin load balancer on 127.0.0.1: request N goes to target N mod the number of targets. */
export class RoundRobin {
  /** Which target (index) served each request, in order. */
  readonly served: number[] = [];
  private next = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly targets: number[],
  ) {}

  static async start(targets: number[]): Promise<RoundRobin> {
    const server = createServer();
    const port = await listenLocal(server);
    const balancer = new RoundRobin(server, port, targets);
    server.on('request', (request, response) => void balancer.onRequest(request, response));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/interactions`;
  }

  close(): Promise<void> {
    return closeLocal(this.server);
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const index = this.next++ % this.targets.length;
    this.served.push(index);
    await forward(request, await readAll(request), response, this.targets[index] as number);
  }
}

const START_TIMEOUT_MS = 30_000;

/** Keys the worker decides from; none may come from the developer's shell. */
const OWN_KEYS = /^(DISCORD_|HTTP_|INTERACTIONS_|FOOTNOTE_FAULTS$|EXTRA_COMMANDS_DIR$|DATA_DIR$)/;

export class WorkerProcess {
  private stdout = '';
  private stderr = '';
  private readonly parsed: LogLine[] = [];
  private parsedUpTo = 0;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
  }

  /**
   * Starts `src/main.ts` without DISCORD_TOKEN, so it serves the endpoint only
   * (on a port the system picks), and waits until it listens. `env` adds
   * DISCORD_API_URL, DATA_DIR (default :memory:), HTTP_PORT, FOOTNOTE_FAULTS…
   */
  static async start(keys: InteractionKeys, env: Record<string, string> = {}): Promise<WorkerProcess> {
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OWN_KEYS.test(key)));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...base, DISCORD_PUBLIC_KEY: keys.publicKeyHex, INTERACTIONS_PORT: '0', LOG_LEVEL: 'info', DATA_DIR: ':memory:', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    try {
      await Promise.race([worker.waitForLog((line) => line.msg === 'interactions endpoint listening', START_TIMEOUT_MS), failOnExit(child, () => worker.output)]);
    } catch (error) {
      worker.kill();
      throw error;
    }
    return worker;
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  get logs(): readonly LogLine[] {
    const end = this.stdout.lastIndexOf('\n') + 1;
    if (end > this.parsedUpTo) {
      for (const line of this.stdout.slice(this.parsedUpTo, end).split('\n')) {
        if (line.startsWith('{')) this.parsed.push(JSON.parse(line) as LogLine);
      }
      this.parsedUpTo = end;
    }
    return this.parsed;
  }

  private portFrom(message: string): number {
    const line = this.logs.find((candidate) => candidate.msg === message);
    if (!line) throw new Error(`the worker did not log "${message}":\n${this.output}`);
    return Number(line.port);
  }

  /** POST /interactions of this worker. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/interactions`;
  }

  get port(): number {
    return this.portFrom('interactions endpoint listening');
  }

  /** Health and metrics (with HTTP_PORT set). */
  get healthUrl(): string {
    return `http://127.0.0.1:${this.portFrom('health and metrics listening')}`;
  }

  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    return stopChild(this.child, signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
