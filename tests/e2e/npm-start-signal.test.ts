/**
 * `npm start` as deployers run it (Ctrl+C in a terminal, pm2, systemd,
 * `CMD ["npm", "start"]` in Docker): the signal goes to the whole process
 * group — npm, the shell and the bot alike. Every slow interaction in flight
 * must still be answered, and the group must exit 0 within 2 s.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/app.ts';
import { fakeToken } from '../support/bot-process.ts';
import { FakeDiscord, makeUser } from '../support/fake-discord.ts';

let fake: FakeDiscord | undefined;
let group: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (group?.pid !== undefined && group.exitCode === null && group.signalCode === null) {
    try {
      process.kill(-group.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await fake?.close();
});

interface Body {
  type?: number;
  embeds?: unknown[];
}

describe('npm start, signalled as a process group', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the group: all 10 slow interactions in flight are answered and the group exits 0 within 2 s`, async () => {
      fake = await FakeDiscord.start();
      let output = '';
      // detached: npm leads a process group of its own, as in a terminal or under a supervisor.
      group = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        detached: true,
        env: {
          ...process.env,
          DISCORD_TOKEN: fakeToken(),
          DISCORD_CLIENT_ID: fake.applicationId,
          DISCORD_GUILD_ID: '',
          DISCORD_API_URL: fake.apiUrl,
          LOG_LEVEL: 'info',
          FOOTNOTE_FAULTS: 'slow=SNAIL',
          DATA_DIR: ':memory:',
          EXTRA_COMMANDS_DIR: '',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      group.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      group.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exited = once(group, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      await Promise.race([fake.waitForReady(1, 20_000), exited.then(() => Promise.reject(new Error(`npm start exited before READY:\n${output}`)))]);
      for (let waited = 0; !output.includes('connected to Discord') && waited < 10_000; waited += 20) await delay(20);

      const inFlight = Array.from({ length: 10 }, (_, i) => fake?.sendSlash('ask', [{ name: 'question', type: 3, value: `SNAIL Why are Russia and Iran not allies? ${i}` }], { user: makeUser(`group${i}`) }));
      await delay(300);
      const signalledAt = Date.now();
      process.kill(-(group.pid as number), signal);
      const timer = setTimeout(() => process.kill(-(group?.pid as number), 'SIGKILL'), 5_000);
      const [code, killedBy] = await exited;
      clearTimeout(timer);
      const ms = Date.now() - signalledAt;

      expect({ code, killedBy }, output).toEqual({ code: 0, killedBy: null });
      expect(ms).toBeLessThan(2_000);
      for (const sent of inFlight) {
        if (!sent) throw new Error('not sent');
        const final = fake.callsFor(sent).find((call) => call.status < 300 && (call.method === 'PATCH' || call.method === 'POST') && (call.body as Body).type !== 5);
        expect((final?.body as Body | undefined)?.embeds?.length ?? 0, `${sent.id}:\n${output}`).toBeGreaterThan(0);
      }
      expect(output).toContain('drained the work in flight');
    }, 40_000);
  }
});
