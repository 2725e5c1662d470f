/** The real bot as a child process (`node --import tsx src/main.ts`), logged in to a fake Discord. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FakeDiscord } from '../tests/support/fake-discord.ts';

const READY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 5_000;

export interface BotProcess {
  child: ChildProcess;
  /** Spawn to the fake's READY: Node, tsx, corpus, discord.js, login and identify. */
  coldStartMs: number;
}

/** `nodeArgs` go before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=prof"] to profile the bot. */
export async function startBot(root: string, fake: FakeDiscord, nodeArgs: readonly string[] = []): Promise<BotProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DISCORD_TOKEN: `bench.${randomBytes(16).toString('hex')}`,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: '',
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
      FOOTNOTE_FAULTS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Logs are read and dropped, as a log shipper would; a full pipe would stall the bot.
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bot exited with ${String(code)} before it was ready: ${stderr.trim()}`);
  });
  const ready = fake.waitForReady(1, READY_TIMEOUT_MS);
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    await stopBot(child);
    throw error;
  } finally {
    // The loser of the race settles later; that is expected, not unhandled.
    ready.catch(() => {});
    exited.catch(() => {});
  }
  return { child, coldStartMs: performance.now() - started };
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function residentMb(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** Kernel clock ticks per second for /proc/PID/stat times; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
export function cpuTimeMs(pid: number): number | null {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** SIGTERM, as a process manager stops it; SIGKILL if it has not exited in time. */
export async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
