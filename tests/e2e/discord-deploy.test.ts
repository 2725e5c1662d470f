/**
 * `npm run deploy-commands`: the real script against the fake Discord, and the
 * checks it makes before sending anything.
 */
import { DefaultRestOptions } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/app.ts';
import { OptionType, type Command, type OptionDefinition } from '../../src/commands/types.ts';
import { commandPayloads, validatePayloads, type CommandPayload } from '../../src/discord/api/deploy.ts';
import { fakeToken } from '../support/bot-process.ts';
import { FakeDiscord, snowflake } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

let fake: FakeDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start();
});

afterAll(async () => {
  await fake?.close();
});

function deploy(env: Record<string, string>) {
  return runScript('src/deploy-commands.ts', [], {
    env: { DISCORD_TOKEN: fakeToken(), DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: '', ...env },
  });
}

const puts = () => fake.calls.filter((call) => call.method === 'PUT');

/** Discord's rules for one command, written out here rather than taken from the code under test. */
function expectValidShape(command: CommandPayload): void {
  const where = command.name;
  expect(Object.keys(command).sort(), where).toEqual(['contexts', 'description', 'integration_types', 'name', 'type', ...(command.options ? ['options'] : [])].sort());
  expect(command.integration_types, where).toEqual([0, 1]);
  expect(command.contexts, where).toEqual([0, 1, 2]);
  if (command.type === 3) {
    expect(command.name.length, where).toBeGreaterThanOrEqual(1);
    expect(command.name.length, where).toBeLessThanOrEqual(32);
    expect(command.description, where).toBe('');
    expect(command.options, where).toBeUndefined();
    return;
  }
  expect(command.type, where).toBe(1);
  expect(command.name, where).toMatch(/^[a-z0-9-]{1,32}$/);
  expect(command.description.length, where).toBeGreaterThanOrEqual(1);
  expect(command.description.length, where).toBeLessThanOrEqual(100);
  expectValidOptions(command.options ?? [], where);
}

/** Options, or a subcommand's options: at most 25, unique names, required first; subcommands are not mixed with values. */
function expectValidOptions(options: readonly OptionDefinition[], where: string): void {
  expect(options.length, where).toBeLessThanOrEqual(25);
  expect(new Set(options.map((option) => option.name)).size, where).toBe(options.length);
  const subcommands = options.filter((option) => option.type === 1);
  expect(subcommands.length === 0 || subcommands.length === options.length, `${where}: subcommands mixed with other options`).toBe(true);
  for (const option of options) {
    expect(option.name, where).toMatch(/^[a-z0-9_-]{1,32}$/);
    expect(option.description.length, `${where} ${option.name}`).toBeGreaterThanOrEqual(1);
    expect(option.description.length, `${where} ${option.name}`).toBeLessThanOrEqual(100);
    expect([1, 3, 4, 5, 6, 7, 11], `${where} ${option.name}`).toContain(option.type);
    if (option.type === 1) expectValidOptions(option.options ?? [], `${where} ${option.name}`);
    else expect(option.options, `${where} ${option.name}`).toBeUndefined();
  }
  // Required options come first.
  const required = options.map((option) => option.required === true);
  expect(required, where).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
}

describe('npm run deploy-commands against the fake Discord', () => {
  it('registers every command globally with one bulk PUT of valid definitions', async () => {
    const token = fakeToken();
    const before = puts().length;
    const { code, stdout, stderr } = await deploy({ DISCORD_TOKEN: token });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { commands } = await testApp();
    expect(stdout).toContain(`Registered ${commands.length} commands globally`);
    expect(stdout + stderr).not.toContain(token);

    const sent = puts().slice(before);
    expect(sent).toHaveLength(1);
    const [put] = sent;
    expect(put?.route).toBe(`/api/v10/applications/${fake.applicationId}/commands`);
    expect(put?.authorized).toBe(true);
    const body = put?.body as CommandPayload[];
    expect(body.map((command) => command.name).sort()).toEqual(commands.map((command) => command.definition.name).sort());
    for (const command of body) expectValidShape(command);
    const ask = body.find((command) => command.name === 'ask');
    expect(ask?.options?.map((option) => option.name)).toEqual(['question', 'article', 'private', 'to']);
    expect(ask?.options?.find((option) => option.name === 'question')?.autocomplete).toBe(true);
    expect(body.find((command) => command.name === 'why-not-allies')?.options?.map((option) => [option.name, option.type])).toEqual([
      ['private', OptionType.Boolean],
      ['to', OptionType.User],
    ]);
    expect(body.find((command) => command.name === 'help')?.options).toBeUndefined();
    expect(body.find((command) => command.name === 'Find in article')).toMatchObject({ type: 3, description: '' });
  });

  it('registers to one server with DISCORD_GUILD_ID, and sends the same set each time (idempotent)', async () => {
    const guild = snowflake();
    const first = await deploy({ DISCORD_GUILD_ID: guild });
    const second = await deploy({ DISCORD_GUILD_ID: guild });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toContain(`in server ${guild}`);
    const [a, b] = puts().slice(-2);
    expect(a?.route).toBe(`/api/v10/applications/${fake.applicationId}/guilds/${guild}/commands`);
    expect(b?.body).toEqual(a?.body);
  });

  it('fails in one clear line, sending nothing, without DISCORD_CLIENT_ID', async () => {
    const before = fake.calls.length;
    const { code, stderr } = await deploy({ DISCORD_CLIENT_ID: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_CLIENT_ID: required/);
    expect(fake.calls.length).toBe(before);
  });

  it('reports a Discord error without the token', async () => {
    const token = fakeToken();
    const before = puts().length;
    // The one PUT and the REST client's retries of it all fail; no armed failure is left over for later tests.
    const attempts = 1 + DefaultRestOptions.retries;
    fake.failRoute(/^PUT /, 500, attempts);
    const { code, stderr } = await deploy({ DISCORD_TOKEN: token });
    expect(code).toBe(1);
    expect(puts().slice(before).map((call) => call.status)).toEqual(Array.from({ length: attempts }, () => 500));
    expect(fake.armedFailures).toBe(0);
    expect(stderr).toMatch(/Could not register commands: Internal Server Error/);
    expect(stderr).not.toContain(token);
  });
});

describe('validation before sending', () => {
  const option = (name: string, extra: Partial<OptionDefinition> = {}): OptionDefinition => ({ type: OptionType.String, name, description: 'd', ...extra });
  const command = (definition: Command['definition'], answering = false): Command => ({ definition, answering, handle: () => ({ kind: 'info', title: '', answer: [], passages: [], notes: [], actions: [] }) });

  it('the real commands are valid', async () => {
    expect(validatePayloads(commandPayloads((await testApp()).commands))).toEqual([]);
  });

  it('names every offender and what is wrong', () => {
    const problems = validatePayloads(
      commandPayloads([
        command({ name: 'Bad_Name', description: 'fine' }),
        command({ name: 'long-description', description: 'x'.repeat(101) }),
        command({ name: 'too-many', description: 'd', options: Array.from({ length: 26 }, (_, i) => option(`o${i}`)) }),
        command({ name: 'order', description: 'd', options: [option('a'), option('b', { required: true })] }),
        command({ name: 'dupe', description: 'd' }),
        command({ name: 'dupe', description: 'd' }),
        command({ name: 'x'.repeat(33), description: 'd' }),
        command({ name: 'bad-option', description: 'd', options: [option('Nope'), option('empty', { description: '' })] }),
        command({ name: 'A menu name that is far too long!', description: '', type: 3 }),
      ]),
    );
    expect(problems).toEqual([
      'command "/Bad_Name": name must be 1–32 lowercase letters, digits or "-"',
      'command "/long-description": description is 101 characters (allowed 1–100)',
      'command "/too-many": 26 options (at most 25)',
      'command "/order", option "b": required options must come before optional ones',
      'command "/dupe": duplicate name',
      `command "/${'x'.repeat(33)}": name must be 1–32 lowercase letters, digits or "-"`,
      'command "/bad-option", option "Nope": name must be 1–32 lowercase letters, digits, "-" or "_"',
      'command "/bad-option", option "empty": description is 0 characters (allowed 1–100)',
      'message command "A menu name that is far too long!": name is 33 characters (allowed 1–32)',
    ]);
  });

  it('counts the adapter options: 24 own options plus private and to is too many', () => {
    const crowded = command({ name: 'crowded', description: 'd', options: Array.from({ length: 24 }, (_, i) => option(`o${i}`)) }, true);
    expect(validatePayloads(commandPayloads([crowded]))).toEqual(['command "/crowded": 26 options (at most 25)']);
  });

  it('limits the number of commands', () => {
    const many = Array.from({ length: 101 }, (_, i) => command({ name: `c${i}`, description: 'd' }));
    expect(validatePayloads(commandPayloads(many))).toEqual(['101 slash commands (at most 100)']);
  });
});
