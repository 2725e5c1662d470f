/**
 * Every interaction is acknowledged within Discord's 3 s, even while a
 * handler blocks the main thread synchronously (no timer of ours can fire
 * then). A worker thread watches each interaction being answered: if the
 * main thread has not started answering it by its deadline, the worker
 * defers it. The common case costs nothing visible: a handler that answers in
 * a few ms takes the interaction over first and replies directly.
 */
import { Worker } from 'node:worker_threads';
import { DefaultRestOptions, DefaultUserAgent, InteractionResponseType, MessageFlags, Routes } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { DeferKind, Watch } from '../api/respond.ts';

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
const { parentPort, workerData: { Pending, Watchdog } } = require('node:worker_threads');

async function deferIfPending({ key, state, url, headers, body }) {
  if (Atomics.compareExchange(state, 0, Pending, Watchdog) !== Pending) return;
  try {
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    parentPort.postMessage({ key, status: response.status });
  } catch (error) {
    parentPort.postMessage({ key, error: error instanceof Error ? error.message : String(error) });
  }
}

parentPort.on('message', (request) => {
  setTimeout(() => void deferIfPending(request), Math.max(0, request.deferAt - Date.now()));
});
`;

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

/** When Discord created something, from its snowflake id. */
export function snowflakeTime(id: string): number {
  return /^\d{1,20}$/.test(id) ? Number((BigInt(id) >> 22n) + 1_420_070_400_000n) : Date.now();
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
      body: JSON.stringify(
        kind === 'update'
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} },
      ),
    };
    this.worker().postMessage(request);
    return {
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

  private worker(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(THREAD_SOURCE, { eval: true, workerData: WatchState });
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
