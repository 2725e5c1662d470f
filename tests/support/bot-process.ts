/**
 * The real entry point (`src/main.ts`) run as a child process against a fake
 * Discord: how it is spawned (shared with the bench) and, for tests, its pino
 * log lines collected for assertions.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { ROOT } from './app.ts';
import type { FakeDiscord } from './fake-discord.ts';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const READY_TIMEOUT_MS = 20_000;
const CONNECTED_TIMEOUT_MS = 10_000;
/** A bot that has not exited this long after a signal is killed. */
const EXIT_TIMEOUT_MS = 5_000;

/** A token shaped like a real one, unique per run, so a test can prove it never leaks. */
export function fakeToken(): string {
  return `TEST.${randomBytes(18).toString('base64url')}.${randomBytes(12).toString('hex')}`;
}

/** How the bot is started: from the TypeScript sources (npm start) or from the build (npm run serve). */
export const SOURCE_ENTRY: readonly string[] = ['--import', 'tsx', 'src/main.ts'];
export const BUILD_ENTRY: readonly string[] = ['dist/src/main.js'];

export interface SpawnOptions {
  /** The script and its loader flags; the sources through tsx by default. */
  entry?: readonly string[];
  /** Extra environment, e.g. FOOTNOTE_FAULTS. */
  env?: Record<string, string>;
  /** Node flags before the script, e.g. ["--cpu-prof"] to profile the bot. */
  nodeArgs?: readonly string[];
  cwd?: string;
}

/**
 * Spawns the bot logged in to `fake` with a fresh token. Every DISCORD_* value
 * is set here, so nothing in the developer's shell or .env decides where it connects.
 */
export function spawnBot(fake: FakeDiscord, options: SpawnOptions = {}): { child: ChildProcessWithoutNullStreams; token: string } {
  const token = fakeToken();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.entry ?? SOURCE_ENTRY)], {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      DISCORD_TOKEN: token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: '',
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
      FOOTNOTE_FAULTS: '',
      // Nothing is written to the install's data/ unless a test gives a folder of its own.
      DATA_DIR: ':memory:',
      EXTRA_COMMANDS_DIR: '',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, token };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` and resolves with the exit code; SIGKILL if the child outlives `timeoutMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = EXIT_TIMEOUT_MS): Promise<number | null> {
  if (hasExited(child)) return child.exitCode;
  const exit = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await exit) as [number | null];
  clearTimeout(timer);
  return code;
}

/** Rejects when the child exits; for racing against "ready". Never an unhandled rejection. */
export function failOnExit(child: ChildProcess, describe: () => string): Promise<never> {
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`the bot exited with ${String(code)} before it was ready:\n${describe()}`);
  });
  failed.catch(() => {});
  return failed;
}

/** For a bot expected to stop by itself (e.g. refusing to start): its exit code and output; SIGKILL past `timeoutMs`. */
export async function runToExit(child: ChildProcessWithoutNullStreams, timeoutMs = READY_TIMEOUT_MS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': every byte of both pipes has been read by then.
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export class BotProcess {
  /** Whatever the process wrote to stderr: crashes and Node warnings (logs go to stdout). */
  stderr = '';
  private stdout = '';
  private readonly parsed: LogLine[] = [];
  private parsedUpTo = 0;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly token: string,
  ) {
    // Decoded as a stream, so a character split across chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Starts `src/main.ts` with DISCORD_TOKEN set, without waiting for anything (a process that should stand by, say). */
  static launch(fake: FakeDiscord, env: Record<string, string> = {}): BotProcess {
    const { child, token } = spawnBot(fake, { env });
    return new BotProcess(child, token);
  }

  /** Starts `src/main.ts` with DISCORD_TOKEN set and waits until it has a ready gateway session. */
  static async start(fake: FakeDiscord, env: Record<string, string> = {}): Promise<BotProcess> {
    const { child, token } = spawnBot(fake, { env });
    const bot = new BotProcess(child, token);
    const died = failOnExit(child, () => bot.output);
    const ready = fake.waitForReady(1, READY_TIMEOUT_MS);
    const connected = bot.waitForLog((line) => line.msg === 'connected to Discord', READY_TIMEOUT_MS + CONNECTED_TIMEOUT_MS);
    // Whichever loses the race settles later; that is expected.
    ready.catch(() => {});
    connected.catch(() => {});
    try {
      await Promise.race([ready, died]);
      await Promise.race([connected, died]);
    } catch (error) {
      bot.kill();
      throw error;
    }
    return bot;
  }

  /** Everything written so far, stdout then stderr: for failure messages and "never printed" checks. */
  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Every JSON log line so far; a line still being written is read once it is complete. */
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

  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> {
    return (await this.waitForLogs(predicate, 1, timeoutMs))[0] as LogLine;
  }

  /** Resolves with the matching lines once there are at least `count` of them. */
  async waitForLogs(predicate: (line: LogLine) => boolean, count: number, timeoutMs = 5_000): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`${found.length} of ${count} matching log lines within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get running(): boolean {
    return !hasExited(this.child);
  }

  /** Sends a signal and resolves with the exit code and how long the process took to exit. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
    if (!this.running) throw new Error(`the bot had already exited (code ${String(this.child.exitCode)}) before ${signal}:\n${this.output}`);
    const started = Date.now();
    const code = await stopChild(this.child, signal);
    return { code, ms: Date.now() - started };
  }

  /** Cleanup for afterAll: SIGKILL if still running. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
