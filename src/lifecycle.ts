/**
 * How a Footnote process ends, the same for the gateway bot and for a worker
 * without a gateway: the first SIGINT or SIGTERM starts stopping; the process
 * exits within 2 s of it whatever stopping does.
 *
 * A signal to the process group (Ctrl+C, pm2, systemd, `npm start` in Docker)
 * may arrive twice: once from the terminal or supervisor and once forwarded
 * by npm. Later signals are only noted, so a copy never cuts the drain short.
 */
import type { Logger } from './log.ts';

/** Exit by then whatever stopping does (hangs, throws): 2 s from the signal is the promise. */
export const EXIT_DEADLINE_MS = 1_900;
/** Exit this long after stopping even if some socket (a REST keep-alive) lingers. */
const EXIT_GRACE_MS = 100;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Resolves with the first SIGINT or SIGTERM; from then on, further ones are logged and ignored. */
export function firstStopSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received !== undefined) {
        logger.info({ signal }, 'already stopping');
        return;
      }
      received = signal;
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}

/**
 * Runs `stop`, then exits with `code`, by `deadline` (epoch ms) however
 * stopping goes. A failure to stop is logged (so scrubbed), never thrown.
 */
export async function stopAndExit(
  stop: () => Promise<void>,
  logger: Logger,
  code: number,
  exit: (code: number) => void = process.exit,
  deadline = Date.now() + EXIT_DEADLINE_MS,
): Promise<void> {
  setTimeout(() => exit(code), Math.max(0, deadline - Date.now())).unref();
  try {
    await stop();
  } catch (error) {
    logger.error({ err: error }, 'could not stop cleanly');
  }
  logger.info({ code }, 'stopped');
  setTimeout(() => exit(code), Math.max(0, Math.min(EXIT_GRACE_MS, deadline - Date.now()))).unref();
}
