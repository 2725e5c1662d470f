/**
 * One gateway per application: two processes started with the same token
 * and store would both receive every interaction and both run the reading
 * plans (each note added twice, each part posted twice). The first to take
 * the lease in the store connects; another stands by, saying so once, and
 * takes over when the holder stops renewing (it stopped, or was killed).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { warnAtMostEveryMinute, type Logger } from '../../log.ts';
import type { LeaseStore } from '../../store/types.ts';

export interface LeaseTiming {
  /** How long a lease lasts unless renewed: how long a dead holder keeps the gateway from the next one. */
  leaseMs: number;
  renewMs: number;
  /** How often a process standing by tries again. */
  pollMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { leaseMs: 15_000, renewMs: 5_000, pollMs: 2_000 };

export interface HeldLease {
  /** Settles if another process took the lease over (this one was stalled past its expiry): stop then. */
  lost: Promise<void>;
  release(): Promise<void>;
}

/** The lease's name for an application's gateway. */
export function gatewayLeaseName(applicationId: string): string {
  return `gateway:${applicationId}`;
}

/**
 * Whether a holder ("host:pid:nonce") was a process on this machine that no
 * longer runs: its pid is gone, or is this process's own (a restarted
 * container reuses its pids), which cannot be holding it under another nonce.
 */
function deadHereBefore(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the lease, standing by as long as another holds it; undefined when `stop` settles first. */
export async function holdLease(leases: LeaseStore, name: string, logger: Logger, stop: Promise<unknown>, timing: LeaseTiming = DEFAULT_LEASE_TIMING): Promise<HeldLease | undefined> {
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let stopped = false;
  void stop.then(() => (stopped = true));
  let toldStandingBy = false;
  for (;;) {
    if (stopped) return undefined;
    const now = Date.now();
    if (await leases.acquire(name, holder, now, now + timing.leaseMs)) break;
    // A holder on this machine that is no longer running (killed, then restarted as this process) is replaced at once.
    const current = await leases.holderOf(name);
    if (current !== undefined && deadHereBefore(current) && (await leases.acquire(name, holder, now, now + timing.leaseMs, current))) break;
    if (!toldStandingBy) {
      logger.warn({ lease: name }, 'another Footnote process is connected to Discord for this application: standing by until it stops');
      toldStandingBy = true;
    }
    // Not unref'd: while standing by, this timer is what keeps the process alive.
    await Promise.race([new Promise((resolve) => setTimeout(resolve, timing.pollMs)), stop]);
  }
  if (toldStandingBy) logger.info({ lease: name }, 'the other process stopped: taking over the connection to Discord');
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  const renew = setInterval(() => {
    const now = Date.now();
    leases.acquire(name, holder, now, now + timing.leaseMs).then(
      (held) => {
        if (!held) markLost();
      },
      // A store out of reach cannot hand the lease to anyone else either: keep going, and say so.
      (error: unknown) => warnAtMostEveryMinute(logger, error, 'could not renew the gateway lease'),
    );
  }, timing.renewMs);
  renew.unref();
  return {
    lost,
    async release() {
      clearInterval(renew);
      await leases.release(name, holder).catch(() => undefined);
    },
  };
}
