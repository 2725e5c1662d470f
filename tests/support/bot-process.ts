/**
 * The real entry point (`src/main.ts`) run as a child process against a fake
 * Discord, with its pino log lines collected for assertions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ROOT } from './app.ts';
import type { FakeDiscord } from './fake-discord.ts';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A token shaped like a real one, unique per run, so a test can prove it never leaks. */
export function fakeToken(): string {
  return `TEST.${randomBytes(18).toString('base64url')}.${randomBytes(12).toString('hex')}`;
}

export class BotProcess {
  output = '';

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly token: string,
  ) {
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts `src/main.ts` with DISCORD_TOKEN set and waits until it has a ready gateway session. */
  static async start(fake: FakeDiscord, env: Record<string, string> = {}): Promise<BotProcess> {
    const token = fakeToken();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: token,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_GUILD_ID: '',
        DISCORD_API_URL: fake.apiUrl,
        LOG_LEVEL: 'info',
        FOOTNOTE_FAULTS: '',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child, token);
    const exited = new Promise<never>((_resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bot exited with ${code} before it was ready:\n${bot.output}`)));
    });
    await Promise.race([fake.waitForReady(1, 20_000), exited]);
    await Promise.race([bot.waitForLog((line) => line.msg === 'connected to Discord', 10_000), exited]);
    return bot;
  }

  /** Every JSON log line so far (anything else on stdout/stderr is kept in `output`). */
  get logs(): LogLine[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
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

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and resolves with the exit code and how long the process took to exit. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    const code = await exited;
    return { code, ms: Date.now() - started };
  }

  /** Cleanup for afterAll: SIGKILL if still running. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
