/**
 * A conversation, small talk and the first-use fixes: follow-ups read with the
 * last exchange (and only then), greetings and other languages answered in a
 * line, "Who is Velayati?" from the paragraph that says who he is.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { CONVERSATION_TTL_MS, readFollowUp, type Exchange } from '../src/conversation/follow-up.ts';
import { InMemoryConversations } from '../src/conversation/memory.ts';
import { smallTalkOf } from '../src/reply/small-talk.ts';
import type { Reply } from '../src/reply/reply.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { CORPUS_DIR } from './support/app.ts';

let app: App;
let now = 1_000_000;

beforeEach(async () => {
  now = 1_000_000;
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: { now: () => now } });
});

const ada: Invoker = { userId: 'ada', displayName: 'Ada', guildId: 'g1', channelId: 'c1', inThread: false, permissions: NO_PERMISSIONS };

async function ask(question: string, who: Invoker = ada): Promise<Reply> {
  const parsed = parseTextCommand(`/ask question:${question}`, app.commands, who);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle(parsed.input, app.context);
}

const labels = (reply: Reply) => reply.answer.map((sentence) => sentence.cite.label);

describe('reading a follow-up', () => {
  const last: Exchange = { question: 'How do Iran and Russia differ over Turkey?', names: ['Iran', 'Russia', 'Turkey'], paragraph: { article: 'a', number: 10 }, answer: 'Iran is not going to gang up.', at: 0 };
  const namesIn = (text: string) => ['Turkey', 'Syria', 'Velayati'].filter((name) => text.includes(name));

  it('swaps the subject for "and X?", asks again for "why?", and names the last subject for a pronoun', () => {
    expect(readFollowUp('and Syria?', last, 10, namesIn).question).toBe('How do Iran and Russia differ over Syria?');
    expect(readFollowUp('why?', last, 10, namesIn)).toEqual({ question: 'why do Iran and Russia differ over Turkey?', followUp: { prefer: { article: 'a', paragraphs: [10] } } });
    expect(readFollowUp('who said that?', last, 10, namesIn).question).toBe('Who said: Iran is not going to gang up.');
    expect(readFollowUp('What did they do next?', last, 10, namesIn).question).toBe('What did they do next (Iran, Russia, Turkey)?');
    // After a question without names, a pronoun is read with that question's words.
    const unnamed: Exchange = { question: 'Who made the oil freeze deal?', names: [], paragraph: { article: 'a', number: 7 }, at: 0 };
    expect(readFollowUp('what was the point of it', unnamed, 10, namesIn)).toEqual({ question: 'what was the point of it (made the oil freeze deal)?', followUp: { prefer: { article: 'a', paragraphs: [7] } } });
    // "When was this written?" is about the text, not the last answer.
    expect(readFollowUp('when was this written', unnamed, 10, namesIn)).toEqual({ question: 'when was this written' });
  });

  it('starts fresh for a question that stands on its own, and after ten minutes', () => {
    expect(readFollowUp('What did Velayati announce?', last, 10, namesIn)).toEqual({ question: 'What did Velayati announce?' });
    expect(readFollowUp('Is that true of Velayati?', last, 10, namesIn).followUp).toBeUndefined();
    expect(readFollowUp('why?', last, CONVERSATION_TTL_MS + 1, namesIn)).toEqual({ question: 'why?' });
    expect(readFollowUp('why?', undefined, 10, namesIn)).toEqual({ question: 'why?' });
  });

  it('forgets the oldest conversations first once full, and expired ones on recall', () => {
    const memory = new InMemoryConversations();
    memory.remember('k', { question: 'q', names: [], at: 0 });
    expect(memory.recall('k', CONVERSATION_TTL_MS)).toBeDefined();
    expect(memory.recall('k', CONVERSATION_TTL_MS + 1)).toBeUndefined();
    for (let i = 0; i <= 10_000; i += 1) memory.remember(`k${i}`, { question: 'q', names: [], at: 0 });
    expect(memory.recall('k0', 1)).toBeUndefined();
    expect(memory.recall('k10000', 1)).toBeDefined();
  });
});

describe('a conversation through /ask', () => {
  it('answers "what did he announce?" about the person asked about before, and says how it read it', async () => {
    expect(labels(await ask('Who is Velayati?'))[0]).toBe('¶5');
    const next = await ask('What did he announce?');
    expect(next.title).toBe('What did he announce?');
    expect(next.notes[0]).toBe('Read with your last question, “Who is Velayati?”.');
    expect(['¶5', '¶6']).toContain(labels(next)[0]);
  });

  it('keeps conversations apart per person and per channel, and refuses "why?" with no context', async () => {
    await ask('Why did Iran refuse to join the oil freeze?');
    expect((await ask('why?', { ...ada, userId: 'bo' })).kind).toBe('not-found');
    expect((await ask('why?', { ...ada, channelId: 'c2' })).kind).toBe('not-found');
    expect((await ask('who said that?')).answer[0]?.cite.label).toBe('¶7');
    now += CONVERSATION_TTL_MS + 1;
    expect((await ask('who said that?')).notes[0]).not.toMatch(/Read with your last question/);
  });

  it('takes the new subject of "and Turkey?"', async () => {
    await ask('How did Moscow punish Turkey?');
    const reply = await ask('and Syria?');
    expect(reply.notes[0]).toBe('Read with your last question, “How did Moscow punish Turkey?”.');
    expect(reply.kind).toBe('answer');
  });
});

describe('questions about the text itself', () => {
  it('answers when it was written from the latest date it mentions, quoted and cited, never guessed', async () => {
    await ask('Who made the oil freeze deal?');
    const reply = await ask('when was this written');
    expect(reply.kind).toBe('info');
    expect(reply.notes[0]).toBe('“Russian-Iranian Relations: Troubled Ties” by Mark N. Katz.');
    expect(reply.notes[1]).toMatch(/^The article does not say when it was written\. The latest date it mentions is 14 March 2016 \(“March 14”\), in ¶1: “On March 14, Russian/);
    // Not glued to the question before it, and not kept as an open question.
    expect(reply.notes.join(' ')).not.toMatch(/Read with your last question/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { questions } = await app.context.store.openQuestions.list('guild:g1', 10);
    expect(questions).toEqual([]);
  });

  it('names the author and where the author notes are', async () => {
    for (const question of ['Who is the author?', 'Who wrote this article?']) {
      const reply = await ask(question);
      expect(reply.kind, question).toBe('info');
      expect(reply.notes, question).toContain('/who name:Katz gives the author notes.');
      expect(reply.notes.join(' '), question).not.toMatch(/does not say when/);
    }
  });

  it('leaves "who said that?" and questions about what the text says to the engine', async () => {
    expect((await ask('What did the article say about Turkey?')).kind).toBe('answer');
  });
});

describe('small talk and other languages', () => {
  it('recognises greetings, thanks, "who are you" and questions in another language, and nothing else', () => {
    expect(['hello', 'Hi there!', 'good morning'].map(smallTalkOf)).toEqual(['greeting', 'greeting', 'greeting']);
    expect(['thanks!', 'Thank you so much', 'ok thanks'].map(smallTalkOf)).toEqual(['thanks', 'thanks', 'thanks']);
    expect(['who are you?', 'What can you do?', 'help'].map(smallTalkOf)).toEqual(['identity', 'identity', 'identity']);
    expect(['Почему Россия и Иран не союзники?', 'Pourquoi la Russie et l’Iran ne sont-ils pas alliés ?', '¿Por qué Irán no es aliado de Rusia?'].map(smallTalkOf)).toEqual([
      'other-language',
      'other-language',
      'other-language',
    ]);
    for (const question of ['Why are Russia and Iran not allies?', 'Who is Velayati?', 'Hello, why did Iran refuse the oil freeze?', 'Is Bandar Abbas in Iran?']) expect(smallTalkOf(question), question).toBeUndefined();
  });

  it('answers them with what Footnote does, never with "not in the article"', async () => {
    const hello = await ask('hello');
    expect(hello).toMatchObject({ kind: 'info', title: 'Hello!' });
    expect(hello.notes.join(' ')).toMatch(/quoting the article word for word/);
    expect((await ask('Почему Россия и Иран не союзники?')).notes[0]).toMatch(/^Footnote reads English/);
  });
});

describe('what a new user hit', () => {
  it('bolds only the words typed in a follow-up, not the words it was completed with', async () => {
    const who = { ...ada, userId: 'bolder' };
    await ask('What did the Russian foreign ministry official say about the alliance?', who);
    const reply = await ask('who said that?', who);
    const bold = reply.passages.flatMap((passage) => passage.excerpt.filter((span) => span.emphasis).map((span) => span.text.toLowerCase()));
    expect(bold.filter((word) => !['said', 'say', 'says'].includes(word))).toEqual([]);
  });

  it('marks the answer sentence where it stands in the first passage instead of printing it as new', async () => {
    const reply = await ask('Why are Russia and Iran not allies?');
    const first = reply.passages[0]?.excerpt.map((span) => span.text).join('') ?? '';
    expect(first).toContain('(quoted above) Despite their numerous');
    // The two quoted sentences stand next to each other: one mark for both.
    expect(first.match(/\(quoted above\)/g)).toHaveLength(1);
    expect(reply.passages[0]?.full).not.toContain('(quoted above)');
  });
});

describe('the terminal at 80 columns', () => {
  it('wraps at word boundaries, keeping the indent, and never splits a word', async () => {
    const { renderForTerminal, wrapLine } = await import('../src/terminal/render.ts');
    const reply = await ask('Why did Iran refuse to join the oil freeze?');
    const text = renderForTerminal(reply, { color: false, app, width: 80 });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text).toContain('Oil');
    expect(text).not.toMatch(/Oi\n|Minis\n/);
    expect(wrapLine('  one two three four five six', 12)).toEqual(['  one two', '  three four', '  five six']);
  });

  it('lists the chat’s own commands in /help, and none that only Discord has', async () => {
    const parsed = parseTextCommand('/help', app.commands);
    if ('error' in parsed) throw new Error(parsed.error);
    const help = (await parsed.command.handle(parsed.input, app.context)).notes.join('\n');
    expect(help).toMatch(/\/more/);
    expect(help).toMatch(/\/quit/);
    expect(help).not.toMatch(/message menu|mentioning/);
  });

  it('reads Discord-style options typed in the chat, and pasted citations', async () => {
    const typed = parseTextCommand('/ask question:oil private:true', app.commands);
    expect('input' in typed && typed.input.options).toEqual({ question: 'oil' });
    const cited = parseTextCommand('/passage ¶4', app.commands);
    expect('input' in cited && cited.input.options).toEqual({ number: 4 });
  });
});

describe('author notes and reader comments', () => {
  it('opens them by number with /passage, labelled as what they are', async () => {
    const run = async (line: string) => {
      const parsed = parseTextCommand(line, app.commands);
      if ('error' in parsed) throw new Error(parsed.error);
      return parsed.command.handle(parsed.input, app.context);
    };
    const comment = await run('/passage 1 reader-comment');
    expect(comment).toMatchObject({ kind: 'passage', title: 'reader comment 1', notes: [] });
    expect(comment.passages[0]?.cite.role).toBe('comment');
    expect((await run('/passage number:2 kind:author-note')).passages[0]?.cite.label).toBe('author note 2');
    expect((await run('/passage 3 reader-comment')).title).toBe('No such reader comment');
  });
});

describe('open questions kept for the group', () => {
  it('keeps a question that says what it is about, as read, and not a bare “why?”', async () => {
    const { loadApp } = await import('../src/app.ts');
    const { MemoryStore } = await import('../src/store/memory.ts');
    const { CORPUS_DIR } = await import('./support/app.ts');
    const { runLine } = await import('./support/typed.ts');
    const { NO_PERMISSIONS } = await import('../src/commands/types.ts');
    const app = await loadApp(CORPUS_DIR, { store: new MemoryStore() });
    const ada = { userId: 'ada', displayName: 'ada', guildId: '5', channelId: '6', inThread: false, permissions: NO_PERMISSIONS };
    for (const question of ['why?', 'really?', 'What is the best programming language for beginners?']) await runLine(app, `/ask ${question}`, ada);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { questions } = await app.context.store.openQuestions.list('guild:5', 10);
    expect(questions.map((question) => question.question)).toEqual(['What is the best programming language for beginners?']);
  });
});
