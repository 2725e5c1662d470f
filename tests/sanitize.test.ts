/** Hostile text: invisible and format characters, and links or HTML in files Footnote writes. */
import { describe, expect, it } from 'vitest';
import { loadApp } from '../src/app.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { displaySafe, markdownFileText, showsNothing } from '../src/reply/sanitize.ts';
import { answerLine } from '../src/terminal/chat.ts';
import { CORPUS_DIR } from './support/app.ts';

describe('invisible characters', () => {
  it('drops every format and default-ignorable character, and keeps emoji sequences whole', () => {
    const hidden = ['\u061C', '\u00AD', '\u3164', '\u2800', '\u{E0001}', '\u{E0041}', '\u{E007F}', '\u180E', '\u200B', '\u202E', '\u2066', '\uFEFF', '\u115F', '\u034F', '\u180B'];
    for (const char of hidden) expect(displaySafe(`a${char}b`), `U+${char.codePointAt(0)?.toString(16)}`).toBe('ab');
    expect(displaySafe('👩‍💻 and 👍🏽 and ❤️')).toBe('👩‍💻 and 👍🏽 and ❤️');
    expect(displaySafe('a\u200Db')).toBe('ab');
  });

  it('calls text of nothing but invisible characters empty', () => {
    expect(showsNothing('\u200B\u200B')).toBe(true);
    expect(showsNothing(' \u3164 \u2800 \u{E0041}')).toBe(true);
    expect(showsNothing('👍')).toBe(false);
    expect(showsNothing('?')).toBe(false);
  });
});

describe('text in a Markdown file', () => {
  it('never renders as a link, an image or HTML', () => {
    expect(markdownFileText('[the source](javascript:alert(1))')).toBe('\\[the source\\](javascript:alert(1))');
    expect(markdownFileText('[https://discord.com/gift](https://evil.example/phish)')).toBe('\\[https://discord.com/gift\\](https://evil.example/phish)');
    expect(markdownFileText('![x](https://evil.example/pixel.png)')).toBe('!\\[x\\](https://evil.example/pixel.png)');
    expect(markdownFileText('<img src=x onerror=alert(1)> <script>alert(1)</script>')).toBe('\\<img src=x onerror=alert(1)\\> \\<script\\>alert(1)\\</script\\>');
    expect(markdownFileText('**Admin** [x](https://evil.example)')).toBe('\\*\\*Admin\\*\\* \\[x\\](https://evil.example)');
    expect(markdownFileText('# not a heading\n> not a quote')).toBe('\\# not a heading\n\\> not a quote');
  });
});

describe('a note of only invisible characters', () => {
  it('is refused, and one with them is stored without them', async () => {
    const app = await loadApp(CORPUS_DIR);
    const member: Invoker = { userId: '900000000000000009', displayName: 'Ivy', guildId: '111111111111111111', channelId: '1', inThread: false, permissions: NO_PERMISSIONS };
    const empty = await answerLine('/note add paragraph:3 text:\u200B\u200B\u3164', app, { actions: [] }, member);
    expect(empty.title).toBe('Empty note');
    const saved = await answerLine('/note add paragraph:3 text:Velayati\u202E bluffed\u200B', app, { actions: [] }, member);
    expect(saved.title).toMatch(/^Note #\d+ on ¶3$/);
    const listed = await answerLine('/note list paragraph:3', app, { actions: [] }, member);
    expect(listed.notes.join('\n')).toContain('Velayati bluffed');
  });
});
