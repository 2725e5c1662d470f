/**
 * Two HTTP interactions workers (the real entry point) behind a round-robin
 * balancer, sharing one Postgres through DATABASE_URL (a fresh schema of
 * FOOTNOTE_TEST_DATABASE_URL's server): what one worker writes the other
 * reads, one user's cooldown is one limit across both, and a follow-up asked
 * of one is read with the question asked of the other. The gateway bot keeps
 * the same state in the same tables.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, MEMBER_PERMISSIONS, PERMISSIONS, type CommandOptionValue, type SentInteraction } from '../support/fake-discord.ts';
import { HttpDiscord, InteractionKeys, RoundRobin, WorkerProcess } from '../support/http-interactions.ts';
import { describePostgres, dropSchema, freshSchema } from '../support/postgres.ts';

interface Message {
  content?: string;
  embeds?: { title?: string; description?: string }[];
  flags?: number;
}

const EPHEMERAL = 64;

const TIDES = `# Why the Sea Has Tides

The gravity of the Moon pulls the oceans into two bulges, one facing the Moon and one on the far side of the Earth.

As the Earth turns through these bulges each day, most coasts see two high tides and two low tides.

When the Sun and the Moon line up, at new and full moon, their pulls add up and the spring tides are highest.
`;

async function rows(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePostgres('two workers sharing Postgres', (url) => {
  let fake: FakeDiscord;
  let discord: HttpDiscord;
  let workers: WorkerProcess[] = [];
  let balancer: RoundRobin;
  let schema: string;
  let documents: Server;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    const keys = new InteractionKeys();
    discord = await HttpDiscord.start(fake, keys);
    schema = await freshSchema(url);
    const databaseUrl = new URL(url);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    documents = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/markdown' }).end(TIDES));
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    const env = { DISCORD_API_URL: discord.apiUrl, DATABASE_URL: databaseUrl.toString(), IMPORT_ALLOW_HOSTS: '127.0.0.1' };
    // Started together: both migrate the empty schema at once, and one waits for the other.
    workers = await Promise.all([WorkerProcess.start(keys, env), WorkerProcess.start(keys, env)]);
    balancer = await RoundRobin.start(workers.map((worker) => worker.port));
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill();
    await balancer?.close();
    await discord?.close();
    await fake?.close();
    documents?.close();
    if (schema) await dropSchema(url, schema);
  });

  const str = (name: string, value: string): CommandOptionValue => ({ name, type: 3, value });
  const int = (name: string, value: number): CommandOptionValue => ({ name, type: 4, value });
  const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];

  async function through(sent: SentInteraction): Promise<Message> {
    await discord.deliver(sent, balancer.url);
    return (await fake.answerTo(sent, 8_000)).data as Message;
  }

  /** Which worker served each of the last `count` requests. */
  const servedBy = (count: number) => balancer.served.slice(-count);

  it('lists through one worker a note written through the other', async () => {
    const added = await through(fake.sendSlash('note', sub('add', [int('paragraph', 4), str('text', 'kept in Postgres')]), { user: makeUser('lea') }));
    expect(added.embeds?.[0]?.title).toMatch(/^Note #\d+ on ¶4$/);
    const listed = await through(fake.sendSlash('note', sub('list', [int('paragraph', 4)]), { user: makeUser('max') }));
    expect(listed.embeds?.[0]?.description).toContain('kept in Postgres');
    expect(new Set(servedBy(2))).toEqual(new Set([0, 1]));
  });

  it('gives a user one cooldown across both workers: the sixth request in 10 s is refused', async () => {
    const user = makeUser('ivy');
    const answers: Message[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await through(fake.sendSlash('help', [], { user })));
    // Each worker served three: a limit kept per process (5) would have let all six through.
    expect(servedBy(6).filter((worker) => worker === 0)).toHaveLength(3);
    expect(answers.slice(0, 5).every((answer) => answer.content === undefined || !answer.content.startsWith('Slow down'))).toBe(true);
    expect(answers[5]?.flags).toBe(EPHEMERAL);
    expect(answers[5]?.content).toMatch(/^Slow down a little: you can ask again in \d+ s\.$/);
    // Someone else is not affected.
    expect((await through(fake.sendSlash('help', [], { user: makeUser('jay') }))).content ?? '').not.toMatch(/^Slow down/);
  });

  it('reads a follow-up asked of one worker with the question asked of the other', async () => {
    const user = makeUser('ned');
    const question = 'How do Iran and Russia differ over Turkey?';
    const first = await through(fake.sendSlash('ask', [str('question', question)], { user }));
    expect(first.embeds?.[0]?.description).toMatch(/¶\d+/);
    // The exchange is written in the background as the answer goes out; a person's next question comes later.
    await until(async () => (await rows(url, `SELECT 1 FROM ${schema}.conversations WHERE exchange LIKE '%Turkey%'`)).length === 1);
    const followUp = await through(fake.sendSlash('ask', [str('question', 'and Syria?')], { user }));
    const [asked, followed] = servedBy(2);
    expect(asked).not.toBe(followed);
    expect(JSON.stringify(followUp)).toContain(`Read with your last question, “${question}”.`);
  });

  it('adds a text through one worker and answers from it through the other; another server sees nothing', async () => {
    const admin = { user: makeUser('ada'), permissions: MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild };
    const address = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/tides.md`;
    const added = await through(fake.sendSlash('text', sub('add', [str('url', address)]), admin));
    expect(added.embeds?.[0]?.description).toMatch(/“Why the Sea Has Tides” is in the library as “why-the-sea-has-tides”: 3 paragraphs/);
    const answer = await through(fake.sendSlash('ask', [str('question', 'What pulls the oceans into bulges?'), str('article', 'why-the-sea-has-tides')], { user: makeUser('bo') }));
    expect(answer.embeds?.[0]?.description).toContain('(¶1)');
    expect(new Set(servedBy(2))).toEqual(new Set([0, 1]));
    const other = fake.addGuild();
    const elsewhere = await through(fake.sendSlash('text', sub('list'), { user: makeUser('cy'), channelId: other.channelId }));
    expect(elsewhere.embeds?.[0]?.description).not.toContain('Tides');
  });

  it('counts flags, votes and Done reading once per member across both workers, and reports them', async () => {
    const admin = { user: makeUser('org'), permissions: MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild };
    const [pia, quin] = [makeUser('pia'), makeUser('quin')];
    for (const user of [pia, quin, pia]) await through(fake.sendSlash('confused', [int('paragraph', 6)], { user }));
    expect(new Set(servedBy(3))).toEqual(new Set([0, 1]));
    const posted = await through(fake.sendSlash('assign', [str('paragraphs', '1-3'), str('due', '2099-01-01')], admin));
    expect(posted.embeds?.[0]?.title).toBe('Reading assignment: ¶1–¶3');
    const doneId = (await rows(url, `SELECT id FROM ${schema}.assignments ORDER BY id DESC LIMIT 1`)) as { id: string }[];
    const done = `fn1:ad:${doneId[0]?.id}`;
    for (const user of [pia, quin]) await through(fake.sendButton(done, { user }));
    expect(new Set(servedBy(2))).toEqual(new Set([0, 1]));
    const report = await through(fake.sendSlash('report', [], admin));
    const text = report.embeds?.[0]?.description ?? '';
    expect(text).toContain('¶6 — 1 confusing flag');
    expect(text).toMatch(/¶1–¶3, due .*: 2 members done/);
    expect(await rows(url, `SELECT user_id FROM ${schema}.confusion_flags`)).toEqual([{ user_id: quin.id }]);
  });

  it('never showed the database password, and Discord refused nothing', () => {
    expect(fake.refusedCalls()).toEqual([]);
    for (const worker of workers) expect(worker.output).not.toContain(new URL(url).password);
  });
});

describePostgres('the gateway bot on Postgres', (url) => {
  let fake: FakeDiscord;
  let bot: BotProcess;
  let schema: string;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    schema = await freshSchema(url);
    const databaseUrl = new URL(url);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    bot = await BotProcess.start(fake, { DATABASE_URL: databaseUrl.toString() });
  }, 60_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
    if (schema) await dropSchema(url, schema);
  });

  it('keeps a user’s cooldown and conversation in Postgres, across slash commands and DMs', async () => {
    const user = makeUser('uma');
    const question = 'How do Iran and Russia differ over Turkey?';
    await fake.replyTo(fake.sendMessage(question, { user, in: 'dm' }).id);
    for (let i = 0; i < 4; i += 1) await fake.answerTo(fake.sendSlash('help', [], { user }));
    const refused = (await fake.answerTo(fake.sendSlash('help', [], { user }))).data as Message;
    expect(refused.content).toMatch(/^Slow down a little: you can ask again in \d+ s\.$/);
    const [window] = (await rows(url, `SELECT hits FROM ${schema}.rate_limits WHERE limit_key = 'cooldown:${user.id}'`)) as { hits: string }[];
    expect(JSON.parse(window?.hits ?? '[]')).toHaveLength(5);
    await until(async () => (await rows(url, `SELECT 1 FROM ${schema}.conversations WHERE conversation_key LIKE 'dm:%:${user.id}' AND exchange LIKE '%Turkey%'`)).length === 1);
  });
});
