/** Runs a project entry point as a child process, as a user or a script would. */
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';
import { ROOT } from './app.ts';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], options: { input?: string; env?: Record<string, string | undefined>; timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // No DISCORD_* from the developer's shell or .env may leak into these runs: no token (an empty one is a
    // configuration error) and no .env read. Nothing is written to the install's data/ unless a test gives a folder of its own.
    const env: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: undefined, DOTENV_CONFIG_PATH: devNull, DISCORD_CLIENT_ID: '', NO_COLOR: '1', DATA_DIR: ':memory:', EXTRA_COMMANDS_DIR: '', ...options.env };
    const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), script, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
