/**
 * The Discord render path and its helpers, on hand-made replies: limits,
 * escaping, emphasis, buttons and their custom_id state, mentions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import type { Citation, PassageView, Reply, ReplyAction, Span } from '../src/reply/reply.ts';
import { Limits } from '../src/discord/api/limits.ts';
import { renderNotice, renderReply as renderWith, type RenderOptions } from '../src/discord/api/render.ts';
import { escapeText, renderSpans, truncate, truncateEscaped } from '../src/discord/api/markdown.ts';
import { testApp } from './support/app.ts';

let app: App;
beforeAll(async () => {
  app = await testApp();
});

/** Rendered with the real commands' components, which turn actions into buttons. */
function renderReply(reply: Reply, options: RenderOptions = {}) {
  return renderWith(reply, { ...options, buttons: { components: app.components, context: app.context } });
}

const encodeAction = (action: ReplyAction) => app.components.encode(action);
function decodeAction(customId: string): ReplyAction | undefined {
  const decoded = app.components.decode(customId);
  return decoded.ok ? decoded.action : undefined;
}

const ARTICLE = 'russian-iranian-relations-troubled-ties';

function cite(paragraph: number, role: Citation['role'] = 'body'): Citation {
  return { article: ARTICLE, paragraph, label: role === 'body' ? `¶${paragraph}` : `reader comment ${paragraph}`, role };
}

function passage(paragraph: number, excerpt: Span[], role: Citation['role'] = 'body'): PassageView {
  return { cite: cite(paragraph, role), excerpt, full: excerpt.map((span) => span.text).join(''), score: 1 };
}

function answerReply(extra: Partial<Reply> = {}): Reply {
  return {
    kind: 'answer',
    title: 'Why are Russia and Iran not allies?',
    answer: [{ text: 'Despite their numerous anti-Western interests, Russia and Iran are not allies.', cite: cite(9) }],
    passages: [passage(9, [{ text: 'Despite their interests, ' }, { text: 'Russia', emphasis: true }, { text: ' and Iran are not allies.' }])],
    notes: [],
    actions: [
      { kind: 'full-passage', article: ARTICLE, paragraph: 9 },
      { kind: 'more-passages', question: 'Why are Russia and Iran not allies?', offset: 3 },
    ],
    footer: 'Russian-Iranian Relations: Troubled Ties — Mark N. Katz',
    ...extra,
  };
}

function embedTotal(embed: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] }): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

describe('renderReply', () => {
  it('renders an answer as an embed: cited sentences, one field per passage, footer, buttons, no pings', () => {
    const message = renderReply(answerReply());
    expect(message.content).toBeUndefined();
    expect(message.ephemeral).toBe(false);
    expect(message.allowedMentions).toEqual({ parse: [] });
    const [embed] = message.embeds;
    expect(embed?.title).toBe('Why are Russia and Iran not allies?');
    expect(embed?.description).toBe('> Despite their numerous anti-Western interests, Russia and Iran are not allies. **(¶9)**');
    expect(embed?.fields).toEqual([{ name: '¶9 · body', value: 'Despite their interests, **Russia** and Iran are not allies.' }]);
    expect(embed?.footer).toEqual({ text: 'Russian-Iranian Relations: Troubled Ties — Mark N. Katz' });
    expect(message.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, custom_id: `fn1:p:9:${ARTICLE}`, label: 'Full ¶9' },
          { type: 2, style: 1, custom_id: 'fn1:m:3:Why are Russia and Iran not allies?', label: 'More passages' },
        ],
      },
    ]);
  });

  it('addresses a user with "for <@id>" and allows pinging only that user', () => {
    const message = renderReply(answerReply(), { forUser: '123456789012345678' });
    expect(message.content).toBe('for <@123456789012345678>');
    expect(message.allowedMentions).toEqual({ parse: [], users: ['123456789012345678'] });
  });

  it('is ephemeral when asked', () => {
    expect(renderReply(answerReply(), { ephemeral: true }).ephemeral).toBe(true);
  });

  it('a private answer for someone says they were not notified, and allows no ping', () => {
    const message = renderReply(answerReply(), { ephemeral: true, forUser: '123456789012345678' });
    expect(message.content).toBe('Only you can see this answer, so <@123456789012345678> was not notified; ask without private to share it.');
    expect(message.allowedMentions).toEqual({ parse: [] });
  });

  it('shows a passage reply in full in the description, beyond a field’s 1024 characters', () => {
    const long = 'word '.repeat(400).trim();
    const message = renderReply({ kind: 'passage', title: '¶9', answer: [], passages: [passage(9, [{ text: long }])], notes: [], actions: [] });
    const [embed] = message.embeds;
    expect(embed?.fields).toBeUndefined();
    expect(embed?.description).toBe(`**¶9 · body**\n${long}`);
  });

  it('escapes Markdown in quoted text so it shows verbatim', () => {
    const message = renderReply(
      answerReply({
        title: '**bold** _it_ `code` ||spoiler|| # heading',
        answer: [{ text: 'He wrote *this* and ~~that~~ > quoted.', cite: cite(2) }],
        passages: [passage(2, [{ text: '- a list item with __underline__' }])],
      }),
    );
    const [embed] = message.embeds;
    expect(embed?.title).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\| # heading');
    expect(embed?.description).toBe('> He wrote \\*this\\* and \\~\\~that\\~\\~ > quoted. **(¶2)**');
    expect(embed?.fields?.[0]?.value).toBe('\\- a list item with \\_\\_underline\\_\\_');
  });

  it('keeps every Discord limit however large the reply', () => {
    const huge = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(200);
    const passages = Array.from({ length: 40 }, (_, i) => passage(i + 1, [{ text: huge.slice(0, 600) }, { text: 'emphasised words here', emphasis: true }, { text: huge }]));
    const reply = answerReply({
      title: huge,
      notes: [huge],
      answer: Array.from({ length: 30 }, (_, i) => ({ text: huge.slice(0, 500), cite: cite(i + 1) })),
      passages,
      actions: [
        ...passages.map((view) => ({ kind: 'full-passage' as const, article: ARTICLE, paragraph: view.cite.paragraph })),
        { kind: 'more-passages', question: huge, offset: 40 },
      ],
      footer: huge,
    });
    const message = renderReply(reply, { notice: huge });
    expect(message.content?.length).toBeLessThanOrEqual(Limits.content);
    const [embed] = message.embeds;
    expect(embed?.title?.length).toBeLessThanOrEqual(Limits.embedTitle);
    expect(embed?.title?.endsWith('…')).toBe(true);
    expect(embed?.description?.length).toBeLessThanOrEqual(Limits.embedDescription);
    expect(embed?.footer?.text.length).toBeLessThanOrEqual(Limits.footer);
    expect(embed?.fields?.length).toBeGreaterThanOrEqual(1);
    expect(embed?.fields?.length).toBeLessThanOrEqual(Limits.fields);
    for (const field of embed?.fields ?? []) {
      expect(field.value.length).toBeLessThanOrEqual(Limits.fieldValue);
      expect(field.name.length).toBeLessThanOrEqual(Limits.fieldName);
    }
    expect(embedTotal(embed ?? {})).toBeLessThanOrEqual(Limits.embedTotal);
    expect(message.components.length).toBeLessThanOrEqual(Limits.rows);
    for (const row of message.components) {
      expect(row.components.length).toBeLessThanOrEqual(Limits.buttonsPerRow);
      for (const button of row.components) {
        expect(button.custom_id.length).toBeLessThanOrEqual(Limits.customId);
        expect(button.label?.length ?? 0).toBeLessThanOrEqual(Limits.buttonLabel);
      }
    }
  });

  it('offers "Full" buttons for body paragraphs only, without duplicates', () => {
    const reply = answerReply({
      passages: [passage(9, [{ text: 'a' }]), passage(1, [{ text: 'a comment' }], 'comment')],
      actions: [
        { kind: 'full-passage', article: ARTICLE, paragraph: 9 },
        { kind: 'full-passage', article: ARTICLE, paragraph: 9 },
        { kind: 'full-passage', article: ARTICLE, paragraph: 1 },
      ],
    });
    const message = renderReply(reply);
    const labels = message.components.flatMap((row) => row.components.map((button) => button.label));
    expect(labels).toEqual(['Full ¶9']);
    expect(message.embeds[0]?.fields?.map((field) => field.name)).toEqual(['¶9 · body', 'reader comment 1']);
  });

  it('renders a text reply (help, errors) as notes in the description', () => {
    const message = renderReply({ kind: 'info', title: 'Footnote commands', answer: [], passages: [], notes: ['/ask question:<text> — ask', '/help — list'], actions: [] });
    expect(message.embeds[0]?.description).toBe('/ask question:<text> — ask\n/help — list');
    expect(message.components).toEqual([]);
  });

  it('notices are plain, ephemeral by default, and ping no one', () => {
    expect(renderNotice('Slow down')).toEqual({ content: 'Slow down', embeds: [], components: [], allowedMentions: { parse: [] }, ephemeral: true });
  });
});

describe('text helpers', () => {
  it('truncates at a word boundary with "…"', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('the quick brown fox jumps', 12)).toBe('the quick…');
    expect(truncate('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
    expect(truncate('the quick brown fox', 12).length).toBeLessThanOrEqual(12);
  });

  it('never cuts an emoji in half', () => {
    const cut = truncate('🤔'.repeat(20), 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'🤔'.repeat(4)}…`);
  });

  it('never leaves a dangling escape before the "…"', () => {
    const escaped = escapeText('a'.repeat(8) + '*'.repeat(10));
    const cut = truncateEscaped(escaped, 12);
    expect(cut.endsWith('\\…')).toBe(false);
    expect(cut.length).toBeLessThanOrEqual(12);
  });

  it('renders emphasis as bold, with markers against the words, balanced even when cut', () => {
    expect(renderSpans([{ text: 'the ' }, { text: ' allies ', emphasis: true }, { text: '.' }], 100)).toBe('the  **allies** .');
    const spans: Span[] = [{ text: 'intro words ' }, { text: 'many emphasised words that run past the limit', emphasis: true }, { text: ' tail' }];
    const cut = renderSpans(spans, 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut.endsWith('…')).toBe(true);
    expect((cut.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });

  it('ends with "…" when the next span does not fit at all', () => {
    const cut = renderSpans([{ text: 'x'.repeat(9) }, { text: 'more', emphasis: true }], 12);
    expect(cut).toBe(`${'x'.repeat(9)}…`);
  });

  it('cuts a span that fills the room exactly when more follows, keeping escapes whole and ending with "…"', () => {
    // 'ab\\*' in bold is exactly 8 long, but the tail needs a "…" after it.
    expect(renderSpans([{ text: 'ab*', emphasis: true }, { text: ' tail' }], 8)).toBe('**ab**…');
    expect(renderSpans([{ text: 'abcdefgh' }, { text: ' tail' }], 8)).toBe('abcdefg…');
    expect(renderSpans([{ text: 'abcdefg' }, { text: ' tail' }], 8)).toBe('abcdefg…');
  });

  it('whatever the spans and the room: within max, bold balanced, no dangling escape, "…" whenever something is left out', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pieces = ['word', ' ', '*', '_', '\\', '`', '|', '~', '[x]', '\n# ', '\n1. ', 'ab', '🤔'];
    const text = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let round = 0; round < 2_000; round += 1) {
      const spans: Span[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({ text: text(), emphasis: random() < 0.4 }));
      const max = 2 + Math.floor(random() * 30);
      const whole = renderSpans(spans, Number.MAX_SAFE_INTEGER);
      const cut = renderSpans(spans, max);
      const where = JSON.stringify({ spans, max, cut });
      expect(cut.length, where).toBeLessThanOrEqual(max);
      if (cut !== whole) expect(cut.endsWith('…'), where).toBe(true);
      const unescaped = cut.replace(/\\[\s\S]/g, '');
      expect((unescaped.match(/\*\*/g) ?? []).length % 2, where).toBe(0);
      expect(/(^|[^\\])(\\\\)*\\…$/.test(cut), where).toBe(false);
    }
  });
});

describe('custom_id codec', () => {
  it('round-trips both actions within 100 characters', () => {
    const full = { kind: 'full-passage' as const, article: ARTICLE, paragraph: 12 };
    expect(decodeAction(encodeAction(full) as string)).toEqual(full);
    const more = { kind: 'more-passages' as const, question: 'What is: a question, with colons?', offset: 3 };
    expect(decodeAction(encodeAction(more) as string)).toEqual(more);
  });

  it('never shortens a question, which would rank differently: one too long is not encoded', () => {
    const fits = { kind: 'more-passages' as const, question: 'q'.repeat(100 - 'fn1:m:3:'.length), offset: 3 };
    expect(decodeAction(encodeAction(fits) as string)).toEqual(fits);
    expect(encodeAction({ ...fits, question: `${fits.question}q` })).toBeUndefined();
  });

  it('carries the rest of a ranking instead, as many positions as fit', () => {
    const ranked = { kind: 'ranked-passages' as const, article: ARTICLE, positions: [12, 0, 35, 36, 1295] };
    expect(encodeAction(ranked)).toBe(`fn1:r:${ARTICLE}:0c000z10zz`);
    expect(decodeAction(encodeAction(ranked) as string)).toEqual(ranked);
    const long = encodeAction({ ...ranked, positions: Array.from({ length: 60 }, (_, i) => i) }) as string;
    expect(long.length).toBeLessThanOrEqual(100);
    expect(decodeAction(long)).toEqual({ ...ranked, positions: Array.from({ length: Math.floor((100 - `fn1:r:${ARTICLE}:`.length) / 2) }, (_, i) => i) });
    expect(encodeAction({ ...ranked, positions: [1296] })).toBeUndefined();
    expect(encodeAction({ ...ranked, positions: [] })).toBeUndefined();
  });

  it('rejects forged, stale and malformed ids', () => {
    const forged = ['', 'hello', 'fn0:p:9:a', 'fn1:p:0:a', 'fn1:p:-1:a', 'fn1:p:9:', 'fn1:p:9:Bad Slug', 'fn1:m:0:q', 'fn1:m:3:', 'fn1:m:x:q', 'fn1:z:1:q', `fn1:m:3:${'q'.repeat(200)}`];
    for (const id of [...forged, `fn1:r:${ARTICLE}:`, `fn1:r:${ARTICLE}:0`, `fn1:r:${ARTICLE}:0A`, 'fn1:r:Bad Slug:01', `fn1:r:${ARTICLE}:01:02`]) {
      expect(decodeAction(id), id).toBeUndefined();
    }
  });
});
