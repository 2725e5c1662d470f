/**
 * The deferral watchdog's own thread. Its clock keeps running while the main
 * thread is blocked by a synchronous handler, so when an interaction's time
 * is up and the main thread has not started answering it, this thread defers
 * it with one plain HTTP request. Imports nothing heavy: it starts in a few ms.
 */
import type { MessagePort } from 'node:worker_threads';

/** Who answers a watched interaction; the first to move it from Pending wins. */
export const WatchState = { Pending: 0, MainThread: 1, Watchdog: 2 } as const;

export interface WatchRequest {
  key: number;
  /** One Int32 over a SharedArrayBuffer, holding a WatchState. */
  state: Int32Array;
  /** Epoch ms after which the interaction is deferred if still pending. */
  deferAt: number;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WatchReport = { key: number; status: number } | { key: number; error: string };

async function deferIfPending(port: MessagePort, request: WatchRequest): Promise<void> {
  if (Atomics.compareExchange(request.state, 0, WatchState.Pending, WatchState.Watchdog) !== WatchState.Pending) return;
  let report: WatchReport;
  try {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    await response.arrayBuffer();
    report = { key: request.key, status: response.status };
  } catch (error) {
    report = { key: request.key, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(report);
}

/** Serves watch requests from the main thread on `port`. */
export function serve(port: MessagePort): void {
  port.on('message', (request: WatchRequest) => {
    setTimeout(() => void deferIfPending(port, request), Math.max(0, request.deferAt - Date.now()));
  });
}
