/**
 * `npm run invite`: prints the link that adds Footnote to a server, with the
 * two scopes it needs (the bot user, and its slash commands) and exactly the
 * permissions it uses — nothing more, so a server admin can read the list and
 * agree to it.
 */
import { pathToFileURL } from 'node:url';
import 'dotenv/config';
import { PermissionFlagsBits } from 'discord.js';
import { ConfigError, readConfig } from './config.ts';

/** Every permission Footnote asks for, and why (the README shows these reasons). */
export const INVITE_PERMISSIONS = [
  { name: 'View Channel', bit: PermissionFlagsBits.ViewChannel, why: 'to see the channels it is asked in' },
  { name: 'Send Messages', bit: PermissionFlagsBits.SendMessages, why: 'to answer mentions' },
  { name: 'Send Messages in Threads', bit: PermissionFlagsBits.SendMessagesInThreads, why: 'to answer in /discuss threads' },
  { name: 'Create Public Threads', bit: PermissionFlagsBits.CreatePublicThreads, why: 'to open a thread on a passage with /discuss' },
  { name: 'Embed Links', bit: PermissionFlagsBits.EmbedLinks, why: 'answers are embeds, replies to mentions too' },
  { name: 'Attach Files', bit: PermissionFlagsBits.AttachFiles, why: 'for /note export, a Markdown file' },
  { name: 'Read Message History', bit: PermissionFlagsBits.ReadMessageHistory, why: 'to reply to the message that mentioned it' },
] as const;

export const INVITE_SCOPES = ['bot', 'applications.commands'] as const;

/** The permissions as the one integer Discord's install link carries. */
export function invitePermissions(): bigint {
  return INVITE_PERMISSIONS.reduce((bits, permission) => bits | permission.bit, 0n);
}

export function inviteUrl(clientId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(clientId)}&scope=${INVITE_SCOPES.join('+')}&permissions=${invitePermissions()}`;
}

/** What `npm run invite` prints for this environment: the link, or one line saying what is missing. */
export function inviteOutput(env: NodeJS.ProcessEnv): { code: number; stdout?: string; stderr?: string } {
  try {
    const { DISCORD_CLIENT_ID } = readConfig(env);
    if (DISCORD_CLIENT_ID === undefined) {
      return { code: 1, stderr: 'Footnote cannot print the invite link: DISCORD_CLIENT_ID is not set (the Application ID from the Discord developer portal; see .env.example).' };
    }
    return { code: 0, stdout: inviteUrl(DISCORD_CLIENT_ID) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { code: 1, stderr: `Footnote cannot print the invite link: ${error.problems.join('; ')}.` };
  }
}

// Run as a script, not when a test imports the helpers.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { code, stdout, stderr } = inviteOutput(process.env);
  if (stdout !== undefined) console.log(stdout);
  if (stderr !== undefined) console.error(stderr);
  process.exitCode = code;
}
