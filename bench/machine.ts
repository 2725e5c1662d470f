import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  /** One-minute load average when the bench started: other work on the machine skews the figures. */
  load_at_start: number;
  /** The code measured: commit, with "-dirty" when the work tree had changes. */
  revision: string;
}

function revision(root: string): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeMachine(root: string): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_at_start: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    revision: revision(root),
  };
}
