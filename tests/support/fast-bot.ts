/**
 * The real bot on a SQLite folder of its own, its clock sped up with
 * FOOTNOTE_CLOCK, for end-to-end tests of what happens over time (reminders,
 * due times): the bot's time now, a SIGKILL and restart on the same folder and
 * timeline, the store read as a backup would, and the DMs a user got.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { BotProcess } from './bot-process.ts';
import type { FakeDiscord, FakeUser, StoredMessage } from './fake-discord.ts';

export class FastBot {
  private constructor(
    private readonly fake: FakeDiscord,
    public bot: BotProcess,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly start: number,
    private readonly speed: number,
    private readonly from: number,
  ) {}

  /** Starts at the simulated time `start`, `speed` times faster than real time. */
  static async start(fake: FakeDiscord, name: string, start: number, speed: number): Promise<FastBot> {
    const dataDir = mkdtempSync(join(tmpdir(), `footnote-${name}-e2e-`));
    const from = Date.now();
    // A look every 100 real ms is soon enough for minutes of simulated time, and spares the machine the other tests share.
    const env = { DATA_DIR: dataDir, FOOTNOTE_CLOCK: `start=${new Date(start).toISOString()},from=${from},speed=${speed},tick=100` };
    return new FastBot(fake, await BotProcess.start(fake, env), dataDir, env, start, speed, from);
  }

  /** The bot's clock now. */
  now(): number {
    return this.start + (Date.now() - this.from) * this.speed;
  }

  /** The day (YYYY-MM-DD) and "HH:MM", in UTC, `minutes` after the bot's clock now. */
  inMinutes(minutes: number): { day: string; at: string } {
    const iso = new Date(this.now() + minutes * 60_000).toISOString();
    return { day: iso.slice(0, 10), at: iso.slice(11, 16) };
  }

  /** SIGKILL, then a new process on the same folder and timeline. */
  async restart(): Promise<void> {
    const exited = new Promise((resolve) => this.bot.child.once('exit', resolve));
    this.bot.child.kill('SIGKILL');
    await exited;
    this.bot = await BotProcess.start(this.fake, this.env);
  }

  /** Reads the bot's database through a second connection. */
  async withStore<T>(read: (store: SqliteStore) => Promise<T>): Promise<T> {
    const store = new SqliteStore(this.dataDir);
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  }

  /** The direct messages the bot sent `user`. */
  dmsTo(user: FakeUser): StoredMessage[] {
    const channel = this.fake.dmChannels.get(user.id);
    return channel === undefined ? [] : this.fake.messagesIn(channel);
  }

  close(): void {
    this.bot.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
