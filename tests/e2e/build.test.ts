import { execFile } from 'node:child_process';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/app.ts';

const run = promisify(execFile);

describe('production build (npm run build, npm run serve)', () => {
  it('compiles to plain JavaScript that serves the same chat without tsx', async () => {
    await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
    const child = run(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: { ...process.env, DISCORD_TOKEN: undefined, DOTENV_CONFIG_PATH: devNull, NO_COLOR: '1', DATA_DIR: ':memory:' } });
    child.child.stdin?.end('/why-not-allies\n/passage 9\n');
    const { stdout, stderr } = await child;
    expect(stderr).toBe('');
    expect(stdout).toContain('Russia and Iran are not allies. (¶9)');
    expect(stdout).toContain('¶9 · body');

    // Run from another folder, as a service manager would: the corpus and commands are found from the install.
    const elsewhere = run(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], { cwd: tmpdir(), env: { ...process.env, DISCORD_TOKEN: undefined, DOTENV_CONFIG_PATH: devNull, NO_COLOR: '1', DATA_DIR: ':memory:', CORPUS_DIR: '' } });
    elsewhere.child.stdin?.end('/passage 9\n');
    const away = await elsewhere;
    expect(away.stderr).toBe('');
    expect(away.stdout).toContain('¶9 · body');
  }, 60_000);
});
