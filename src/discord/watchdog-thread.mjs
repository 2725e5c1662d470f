/**
 * The deferral watchdog's thread (see watchdog.ts). Its clock keeps running
 * while the main thread is blocked, so when a watched interaction's time is up
 * and the main thread has not taken it over, this thread defers it with one
 * plain HTTP request. Plain JavaScript: it starts without a TypeScript loader,
 * which would add some 20 MB to every bot.
 */
/* global fetch, setTimeout -- Node's own */
import { parentPort, workerData } from 'node:worker_threads';

const { Pending, Watchdog } = workerData.states;

/** @param {{ key: number, state: Int32Array, url: string, headers: Record<string, string>, body: string }} request */
async function deferIfPending({ key, state, url, headers, body }) {
  // Whoever moves the state from Pending first answers the interaction; the other stands back.
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
