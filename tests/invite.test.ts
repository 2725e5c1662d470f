import { describe, expect, it } from 'vitest';
import { INVITE_PERMISSIONS, inviteOutput, invitePermissions, inviteUrl } from '../src/invite.ts';

const CLIENT_ID = '123456789012345678';

describe('npm run invite', () => {
  it('asks for exactly the seven permissions Footnote uses', () => {
    expect(INVITE_PERMISSIONS.map((permission) => permission.name)).toEqual([
      'View Channel',
      'Send Messages',
      'Send Messages in Threads',
      'Create Public Threads',
      'Embed Links',
      'Attach Files',
      'Read Message History',
    ]);
    // 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16 | 1<<35 | 1<<38, as Discord numbers them.
    expect(invitePermissions()).toBe(309_237_763_072n);
    expect(invitePermissions()).toBe((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 35n) | (1n << 38n));
  });

  it('prints the install link with both scopes and that number', () => {
    expect(inviteUrl(CLIENT_ID)).toBe(`https://discord.com/oauth2/authorize?client_id=${CLIENT_ID}&scope=bot+applications.commands&permissions=309237763072`);
    expect(inviteOutput({ DISCORD_CLIENT_ID: CLIENT_ID })).toEqual({ code: 0, stdout: inviteUrl(CLIENT_ID) });
  });

  it('says in one line what is missing or wrong, and fails', () => {
    const missing = inviteOutput({ DISCORD_CLIENT_ID: '' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBeUndefined();
    expect(missing.stderr).toMatch(/^Footnote cannot print the invite link: DISCORD_CLIENT_ID is not set/);
    expect(missing.stderr).not.toContain('\n');

    const invalid = inviteOutput({ DISCORD_CLIENT_ID: 'my-bot' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('Footnote cannot print the invite link: DISCORD_CLIENT_ID: must be a Discord id (17–20 digits).');
  });
});
