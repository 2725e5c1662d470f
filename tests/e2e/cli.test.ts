import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run.ts';

interface AskJson {
  question: string;
  answered: boolean;
  confidence?: 'high' | 'low';
  answer: { text: string; paragraph: number }[];
  passages: { article: string; paragraph: number; label: string; role: string; score: number; text: string }[];
}

function parseLines(stdout: string): AskJson[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as AskJson);
}

describe('ask --json (a contract scripts rely on)', () => {
  it('prints one JSON object for a question argument', async () => {
    const { code, stdout } = await runScript('src/cli/ask.ts', ['--json', 'Why did Iran refuse the oil freeze?']);
    expect(code).toBe(0);
    const [result] = parseLines(stdout);
    expect(Object.keys(result!)).toEqual(['question', 'answered', 'confidence', 'answer', 'passages']);
    expect(result?.confidence).toBe('high');
    expect(result).toMatchObject({ question: 'Why did Iran refuse the oil freeze?', answered: true });
    // At most --top (3); under a confident answer only those adding something: here ¶7 alone answers it.
    expect(result!.passages.map((p) => p.label)).toEqual(['¶7']);
    expect(result!.passages[0]).toMatchObject({ article: 'russian-iranian-relations-troubled-ties', paragraph: 7, label: '¶7', role: 'body' });
    const scores = result!.passages.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const sentence of result!.answer) {
      const cited = result!.passages.find((p) => p.paragraph === sentence.paragraph && p.role === 'body');
      expect(cited?.text).toContain(sentence.text);
    }
  });

  it('reads one question per line from stdin, in order, honouring --top', async () => {
    const { code, stdout } = await runScript('src/cli/ask.ts', ['--json', '--top', '1'], {
      input: 'Are Russia and Iran allies?\nWhat is a good pasta recipe?\n\nWho is Velayati?\n',
    });
    expect(code).toBe(0);
    const results = parseLines(stdout);
    // One output line per input line, the empty one included.
    expect(results.map((r) => r.question)).toEqual(['Are Russia and Iran allies?', 'What is a good pasta recipe?', '', 'Who is Velayati?']);
    expect(results.map((r) => r.answered)).toEqual([true, false, false, true]);
    expect(results[0]!.passages).toHaveLength(1);
    expect(results[1]).toEqual({ question: 'What is a good pasta recipe?', answered: false, answer: [], passages: [] });
  });

  it('with --conversation reads each line with the ones before it, and marks closest passages as low confidence', async () => {
    const { stdout, code } = await runScript('src/cli/ask.ts', ['--json', '--conversation'], { input: 'Who is Velayati?\nwhat did he announce?\nWhy did Moscow wave off a four-way pact?\n' });
    expect(code).toBe(0);
    const [who, announced, pact] = parseLines(stdout);
    expect(who?.answer[0]?.paragraph).toBe(5);
    expect(announced).toMatchObject({ question: 'what did he announce?', answered: true, confidence: 'high' });
    expect([5, 6]).toContain(announced?.answer[0]?.paragraph);
    expect(pact).toMatchObject({ answered: true, confidence: 'low', answer: [] });
    expect(pact?.passages.length).toBeGreaterThan(0);
    // A bare "why?" is answered only in a conversation; alone it names nothing.
    const input = 'Why did Iran refuse to join the oil freeze?\nwhy?\n';
    const together = parseLines((await runScript('src/cli/ask.ts', ['--json', '--conversation'], { input })).stdout);
    const alone = parseLines((await runScript('src/cli/ask.ts', ['--json'], { input })).stdout);
    expect(together[1]).toMatchObject({ question: 'why?', answered: true });
    expect(together[1]?.answer[0]?.paragraph).toBe(7);
    expect(alone[1]).toMatchObject({ question: 'why?', answered: false });
  });

  it('rejects a bad --top with a one-line message', async () => {
    const { code, stderr } = await runScript('src/cli/ask.ts', ['--top', 'x', 'hi']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('--top must be a whole number from 1 to 10');
  });

  it('without --json prints the terminal rendering', async () => {
    const { code, stdout } = await runScript('src/cli/ask.ts', ['Are Russia and Iran allies?']);
    expect(code).toBe(0);
    expect(stdout).toContain('Russia and Iran are not allies. (¶9)');
  });
});

describe('terminal chat (npm start with no token)', () => {
  it('answers piped commands and questions, then exits 0 at end of input', async () => {
    const input = ['/why-not-allies', '/ask Why did Iran refuse the oil freeze?', '/passage 9', 'Who is Velayati?', '/more', '/help'].join('\n');
    const { code, stdout, stderr } = await runScript('src/main.ts', [], { input });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Russia and Iran are not allies. (¶9)');
    expect(stdout).toMatch(/Iran had no plans to join in the agreement to freeze oil production.*\(¶7\)/);
    expect(stdout).toContain('/why-not-allies — ');
    expect(stdout).not.toContain('\u001b[');
  });

  it('pages with /more only through the last question asked', async () => {
    const input = ['Russia Iran Turkey Syria', '/more', 'What is a good pasta recipe?', '/more'].join('\n');
    const { stdout } = await runScript('src/main.ts', [], { input });
    const replies = stdout.split(/\n(?=\S[^\n]*\n\n)/);
    expect(stdout.match(/There are no more passages for the last question\./g)).toHaveLength(1);
    expect(stdout.indexOf('There are no more passages')).toBeGreaterThan(stdout.indexOf('does not seem to cover'));
    expect(replies.length).toBeGreaterThan(3);
  });

  it('explains unknown commands and bad arguments in one line, never a stack trace', async () => {
    const { code, stdout, stderr } = await runScript('src/main.ts', [], { input: '/nope\n/passage 99\n/passage x\n\n🙂\n' });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Unknown command /nope. Type /help to see the commands.');
    expect(stdout).toContain('Passages are numbered ¶1 to ¶11; “99” is not one of them.');
    expect(stdout).toMatch(/Number must be a whole number, not “x”/);
    expect(stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('refuses to start on a malformed corpus, naming the file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'footnote-bad-'));
    await writeFile(join(dir, 'bad.md'), '---\ntitle: t\n---\nText\n');
    const { code, stderr, stdout } = await runScript('src/main.ts', [], { env: { CORPUS_DIR: dir }, input: '/help\n' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^Footnote cannot start\. .*bad\.md:2: invalid front matter \(author/);
  });

  it('refuses wrong configuration with a clear message and never echoes the token', async () => {
    const { code, stderr } = await runScript('src/main.ts', [], { env: { DISCORD_TOKEN: 'not a token secret-value', LOG_LEVEL: 'loud' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_TOKEN: does not look like a bot token/);
    expect(stderr).toMatch(/LOG_LEVEL/);
    expect(stderr).not.toContain('secret-value');
  });
});
