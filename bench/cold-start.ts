/**
 * Terminal chat cold start: `echo "/help" | node <entry>`, from the sources
 * through tsx (npm start) or from the build (npm run serve), timed from spawn
 * to the first byte of the answer on stdout (process up, code loaded, corpus
 * indexed, first command answered) and to exit.
 */
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';
import { performance } from 'node:perf_hooks';
import { median, round } from '../eval/stats.ts';

export interface ColdStartFigures {
  runs: number;
  first_output_ms: number;
  exit_ms: number;
}

/** A start that takes this long is broken, not slow. */
const TIMEOUT_MS = 30_000;

function startOnce(root: string, entry: readonly string[]): Promise<{ firstOutput: number; exit: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutput: number | undefined;
    // No token and no .env, so a developer's settings cannot turn this into a bot start.
    const child = spawn(process.execPath, [...entry], {
      cwd: root,
      env: { ...process.env, DISCORD_TOKEN: undefined, DOTENV_CONFIG_PATH: devNull },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    child.stdout.once('data', () => (firstOutput = performance.now() - started));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const exit = performance.now() - started;
      if (code !== 0 || firstOutput === undefined) reject(new Error(`terminal chat exited with ${code} after ${Math.round(exit)} ms, output: ${firstOutput !== undefined}`));
      else resolve({ firstOutput, exit });
    });
    child.stdin.end('/help\n');
  });
}

export async function benchTerminalColdStart(root: string, runs: number, entry: readonly string[]): Promise<ColdStartFigures> {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await startOnce(root, entry));
  return {
    runs,
    first_output_ms: round(median(results.map((r) => r.firstOutput)), 0),
    exit_ms: round(median(results.map((r) => r.exit)), 0),
  };
}
