/**
 * Every interaction is acknowledged within Discord's 3 s, even while a
 * handler blocks the main thread synchronously (no timer of ours can fire
 * then). A worker thread watches each interaction being answered: if the
 * main thread has not started answering it by its deadline, the worker
 * defers it. The common case costs nothing visible: a handler that answers in
 * a few ms takes the interaction over first and replies directly. Under load
 * the pipeline asks for the deferral at once (`deferNow`), and the worker
 * sends it: thousands of deferral requests then cost the main thread nothing
 * but one message per batch of arrivals.
 */
import { Worker } from 'node:worker_threads';
import { DefaultRestOptions, DefaultUserAgent, Routes } from 'discord.js';
import type { Logger } from '../../log.ts';
import { deferralBody, type DeferKind, type Watch } from '../api/respond.ts';

/** Who answers a watched interaction; the first to move it from Pending wins. */
const WatchState = { Pending: 0, MainThread: 1, Watchdog: 2 } as const;

/** What the thread is sent per interaction. */
interface WatchRequest {
  key: number;
  /** One Int32 over a SharedArrayBuffer, holding a WatchState. */
  state: Int32Array;
  /** Epoch ms after which the interaction is deferred if still pending. */
  deferAt: number;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the thread reports after deferring. */
type WatchReport = { key: number; status: number } | { key: number; error: string };

/**
 * The thread's code: plain JavaScript run with `eval`, so it needs neither a
 * TypeScript loader (which would add some 20 MB to every bot) nor a file beside
 * the compiled build. Its clock keeps running while the main thread is
 * blocked: when a watched interaction is due and still Pending, it claims it
 * and defers it with one HTTP request.
 */
const THREAD_SOURCE = `
const { parentPort, workerData: { Pending, Watchdog, sockets } } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');

// Kept-alive connections, a bounded number: a burst reuses them instead of opening one per deferral.
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: sockets }), 'https:': new https.Agent({ keepAlive: true, maxSockets: sockets }) };

function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: agents[target.protocol] }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function deferIfPending({ key, state, url, headers, body }) {
  if (Atomics.compareExchange(state, 0, Pending, Watchdog) !== Pending) return;
  try {
    parentPort.postMessage({ key, status: await post(url, headers, body) });
  } catch (error) {
    parentPort.postMessage({ key, error: error instanceof Error ? error.message : String(error) });
  }
}

parentPort.on('message', (batch) => {
  const now = Date.now();
  for (const request of batch) {
    if (request.deferAt <= now) void deferIfPending(request);
    else setTimeout(() => void deferIfPending(request), request.deferAt - now);
  }
});
`;

/** Connections the thread keeps to Discord's API. */
const THREAD_SOCKETS = 64;

/** Deferred at most this long after it arrived, so a slow answer shows "thinking…" soon. */
const DEFER_AFTER_MS = 1_000;
/** ...and at the latest this long after Discord created it, leaving time for the request itself. */
const DEFER_BY_AGE_MS = 2_000;

/** An interaction as the watchdog needs it. */
export interface Watched {
  id: string;
  token: string;
  /** Epoch ms when Discord created it. */
  createdAt: number;
}

/** When a watched interaction is deferred unless answered first. */
export function deferAt(createdAt: number, now = Date.now()): number {
  return Math.min(now + DEFER_AFTER_MS, createdAt + DEFER_BY_AGE_MS);
}

export class Watchdog {
  private thread: Worker | undefined;
  private nextKey = 0;
  private readonly reports = new Map<number, (report: WatchReport) => void>();
  private readonly apiBase: string;
  /** Requests not yet handed to the thread: sent together once the current task ends. */
  private batch: WatchRequest[] = [];

  /** `api` is the REST base URL discord.js uses (DISCORD_API_URL), Discord's by default. */
  constructor(
    private readonly logger: Logger,
    api: string = DefaultRestOptions.api,
  ) {
    this.apiBase = `${api.replace(/\/+$/, '')}/v${DefaultRestOptions.version}`;
  }

  /** Starts the thread now rather than on the first interaction. */
  start(): void {
    this.worker();
  }

  async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }

  /** Watches `interaction` until `takeOver`; `kind` and `ephemeral` say how a deferral looks. */
  watch(interaction: Watched, kind: DeferKind, ephemeral: boolean): Watch {
    const key = this.nextKey++;
    const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const report = new Promise<WatchReport>((resolve) => this.reports.set(key, resolve));
    const request: WatchRequest = {
      key,
      state,
      deferAt: deferAt(interaction.createdAt),
      url: `${this.apiBase}${Routes.interactionCallback(interaction.id, interaction.token)}?with_response=false`,
      headers: { 'content-type': 'application/json', 'user-agent': DefaultUserAgent },
      body: JSON.stringify(deferralBody(kind, ephemeral)),
    };
    this.post(request);
    return {
      deferNow: () => {
        // Still in the batch: just move its time; already with the thread: send it again, due now (the state's
        // compare-and-swap makes sure only one of the two defers).
        if (this.batch.includes(request)) request.deferAt = Date.now();
        else this.post({ ...request, deferAt: Date.now() });
      },
      takeOver: async () => {
        if (Atomics.compareExchange(state, 0, WatchState.Pending, WatchState.MainThread) === WatchState.Pending) {
          this.reports.delete(key);
          return 'direct';
        }
        const outcome = await report;
        if ('error' in outcome) throw new Error(`could not defer the interaction: ${outcome.error}`);
        if (outcome.status >= 300) throw Object.assign(new Error(`could not defer the interaction: HTTP ${outcome.status}`), { status: outcome.status });
        return 'deferred';
      },
    };
  }

  private post(request: WatchRequest): void {
    if (this.batch.length === 0) queueMicrotask(() => this.flush());
    this.batch.push(request);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    if (batch.length > 0) this.worker().postMessage(batch);
  }

  private worker(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { ...WatchState, sockets: THREAD_SOCKETS } });
    thread.unref();
    thread.on('message', (report: WatchReport) => {
      this.reports.get(report.key)?.(report);
      this.reports.delete(report.key);
    });
    thread.on('error', (error) => {
      this.logger.error({ err: error }, 'the deferral watchdog failed; it restarts on the next interaction');
      // Deferrals it had claimed will never be reported: their answers fail and are logged.
      for (const [key, resolve] of this.reports) resolve({ key, error: 'the watchdog thread failed' });
      this.reports.clear();
      if (this.thread === thread) this.thread = undefined;
    });
    this.thread = thread;
    return thread;
  }
}
