import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { loadCommands, slashCommands } from '../src/commands/registry.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { LOCAL_INVOKER, type Command } from '../src/commands/types.ts';
import { MAX_QUESTION_CHARS } from '../src/question.ts';
import { testApp } from './support/app.ts';

let app: App;
beforeAll(async () => {
  app = await testApp();
});

async function run(line: string) {
  const parsed = parseTextCommand(line, app.commands);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle(parsed.input, app.context);
}

function command(name: string): Command {
  const found = app.commands.find((candidate) => candidate.definition.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

describe('command definitions', () => {
  it("loads one command per file, and the article's topic commands, with Discord-valid names and descriptions", async () => {
    expect((await loadCommands()).length).toBeGreaterThanOrEqual(5);
    const { commands } = app;
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const { definition } of slashCommands(commands)) {
      expect(definition.name).toMatch(/^[a-z0-9-]{1,32}$/);
      expect(definition.description.length).toBeGreaterThan(0);
      expect(definition.description.length).toBeLessThanOrEqual(100);
      expect((definition.options ?? []).length).toBeLessThanOrEqual(25);
      for (const option of definition.options ?? []) {
        expect(option.name).toMatch(/^[a-z0-9-]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(100);
        if (option.type === 3) expect(option.max_length).toBeGreaterThan(0);
      }
    }
  });

  it('has the ask, passage, about, help and topic commands, and a message menu command', async () => {
    const names = app.commands.map((c) => c.definition.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'passage', 'about', 'help', 'why-not-allies', 'syria-burden', 'turkey', 'oil-freeze', 'alliance-episode', 'what-washington-should-do', 'Find in article']));
    expect(command('ask').definition.options?.[0]).toMatchObject({ name: 'question', required: true, max_length: MAX_QUESTION_CHARS, autocomplete: true });
    expect(command('Find in article').definition.type).toBe(3);
  });
});

describe('topic commands', () => {
  it.each([
    ['why-not-allies', '¶9'],
    ['syria-burden', '¶3'],
    ['turkey', '¶10'],
    ['oil-freeze', '¶7'],
    ['alliance-episode', '¶5'],
    ['contracts', '¶8'],
    ['shared-interests', '¶1'],
    ['what-washington-should-do', '¶9'],
  ])('/%s answers from %s', async (name, label) => {
    const reply = (await run(`/${name}`));
    expect(reply.kind).toBe('answer');
    expect(reply.passages.slice(0, 2).map((p) => p.cite.label)).toContain(label);
    expect(reply.answer.length).toBeGreaterThan(0);
  });
});

describe('/ask, /passage, /about, /help', () => {
  it('/ask answers a question', async () => {
    expect((await run('/ask Why did Iran refuse the oil freeze?')).answer[0]?.cite.label).toBe('¶7');
    expect((await run('/ask question: Why did Iran refuse the oil freeze?')).answer[0]?.cite.label).toBe('¶7');
  });

  it('/passage shows a paragraph in full, with neighbours on request', async () => {
    const reply = (await run('/passage 9'));
    expect(reply.kind).toBe('passage');
    expect(reply.passages.map((p) => p.cite.label)).toEqual(['¶9']);
    expect(reply.passages[0]?.full).toMatch(/^Despite their numerous/);
    expect((await run('/passage 9 context')).passages.map((p) => p.cite.label)).toEqual(['¶8', '¶9', '¶10']);
    expect((await run('/passage number:1 context:true')).passages.map((p) => p.cite.label)).toEqual(['¶1', '¶2']);
    expect((await run('/passage 11 context')).passages.map((p) => p.cite.label)).toEqual(['¶10', '¶11']);
  });

  it('/passage explains numbers out of range and unknown articles', async () => {
    expect((await run('/passage 99'))).toMatchObject({ kind: 'error', notes: [expect.stringMatching(/¶1 to ¶11/)] });
    expect(parseTextCommand('/passage 0', app.commands)).toEqual({ error: expect.stringMatching(/at least 1/) });
    expect((await run('/passage 3 article:nope'))).toMatchObject({ kind: 'error', notes: [expect.stringMatching(/no article “nope”/)] });
  });

  it('/about gives title, author, paragraph count and how to cite', async () => {
    const text = (await run('/about')).notes.join('\n');
    expect(text).toContain('Russian-Iranian Relations: Troubled Ties');
    expect(text).toContain('Mark N. Katz');
    expect(text).toContain('11 numbered paragraphs');
    expect(text).toMatch(/cite/);
  });

  it('/help lists every slash command, one line each', async () => {
    const lines = (await run('/help')).notes;
    for (const { definition } of slashCommands(app.commands)) expect(lines.some((line) => line.startsWith(`/${definition.name}`))).toBe(true);
  });

  it('the message menu command searches with the selected message', async () => {
    const reply = await command('Find in article').handle({ options: {}, targetText: 'Katz says Iran had no plans to join the oil freeze', invoker: LOCAL_INVOKER }, app.context);
    expect(reply.title).toMatch(/^Find in article/);
    expect(reply.answer[0]?.cite.label).toBe('¶7');
  });

  it('the message menu title never splits an emoji', async () => {
    const reply = await command('Find in article').handle({ options: {}, targetText: `${'x'.repeat(78)}🙂🙂 Iran oil freeze`, invoker: LOCAL_INVOKER }, app.context);
    // 80 UTF-16 units at most: the emoji that would straddle the limit is left out whole.
    expect(reply.title).toBe(`Find in article: “${'x'.repeat(78)}…”`);
    expect(reply.title).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('ask autocomplete offers at most 25 suggestions of at most 100 characters, led by what was typed', async () => {
    const ask = command('ask');
    const empty = (await ask.autocomplete?.('question', '', app.context)) ?? [];
    expect(empty.length).toBeGreaterThan(5);
    expect(empty.length).toBeLessThanOrEqual(25);
    const typed = (await ask.autocomplete?.('question', 'velay', app.context)) ?? [];
    expect(typed[0]?.name).toBe('velay');
    expect(typed.some((choice) => /Velayati/.test(choice.name))).toBe(true);
    const long = (await ask.autocomplete?.('question', 'x'.repeat(400), app.context)) ?? [];
    for (const choice of [...empty, ...typed, ...long]) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('text commands', () => {
  it.each([
    ['/nope', /Unknown command \/nope/],
    ['/', /command name/],
    ['/passage', /needs number/],
    ['/passage x', /whole number/],
    ['/about extra words', /too many arguments/i],
    ['/passage 9 10', /context must be true or false/i],
    ['/passage 9 context:maybe', /true or false/],
    ['/ask', /needs question/],
  ])('explains what is wrong with %s', (line, message) => {
    const parsed = parseTextCommand(line, app.commands);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('keeps "name:" inside a typed question as part of the question', async () => {
    const parsed = parseTextCommand('/ask What is the key question: oil or gas?', app.commands);
    expect('input' in parsed && parsed.input.options).toEqual({ question: 'What is the key question: oil or gas?' });
    const named = parseTextCommand('/passage 9 context:true', app.commands);
    expect('input' in named && named.input.options).toEqual({ number: 9, context: true });
  });

  it('is case-insensitive on the command name and forgiving with spaces', async () => {
    const parsed = parseTextCommand('  /WHY-NOT-ALLIES  ', app.commands);
    expect('command' in parsed && parsed.command.definition.name).toBe('why-not-allies');
  });
});

describe('cutting text', () => {
  it('never leaves half an emoji in a long question or a suggestion', async () => {
    const { cleanQuestion } = await import('../src/question.ts');
    const cut = cleanQuestion(`${'x'.repeat(299)}🙂🙂`);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toBe('x'.repeat(299));
    const suggestions = (await command('ask').autocomplete?.('question', `${'y'.repeat(98)}🙂🙂`, app.context)) ?? [];
    for (const { name } of suggestions) expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
