/** The real bot as a child process (spawned as the tests spawn it), logged in to a fake Discord. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { failOnExit, spawnBot, stopChild } from '../tests/support/bot-process.ts';
import type { FakeDiscord } from '../tests/support/fake-discord.ts';

const READY_TIMEOUT_MS = 20_000;

export interface BotProcess {
  child: ChildProcess;
  /** Spawn to the fake's READY: Node, the code, corpus, discord.js, login and identify. */
  coldStartMs: number;
}

/** `nodeArgs` go before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=prof"] to profile the bot. */
export async function startBot(root: string, fake: FakeDiscord, nodeArgs: readonly string[], entry: readonly string[]): Promise<BotProcess> {
  const started = performance.now();
  const { child } = spawnBot(fake, { cwd: root, nodeArgs, entry });
  // Logs are read and dropped, as a log shipper would; a full pipe would stall the bot.
  child.stdout.resume();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const ready = fake.waitForReady(1, READY_TIMEOUT_MS);
  ready.catch(() => {});
  try {
    await Promise.race([ready, failOnExit(child, () => stderr.trim())]);
  } catch (error) {
    await stopChild(child);
    throw error;
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
