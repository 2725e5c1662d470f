/**
 * Environment configuration, validated once at start. Errors are one line per
 * problem and never echo a secret's value.
 */
import { ConfigError } from './config-error.ts';
import { z } from 'zod';
import { DEFAULT_CORPUS_DIR, DEFAULT_DATA_DIR } from './paths.ts';
import { parseAllowHosts } from './import/address.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');
/** 0 lets the system pick a free port (tests read it from the log). */
const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, 'must be a port number (0–65535)')
  .transform(Number)
  .refine((value) => value <= 65_535, 'must be a port number (0–65535)');

/** Set but empty is most likely a token that was never filled in, not a wish for the terminal chat. */
const EMPTY_TOKEN =
  'is set but empty. To use the terminal chat, remove the DISCORD_TOKEN line (from .env too) or comment it out with #; to run the bot, put its token there.';

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

const schema = z.object({
  DISCORD_TOKEN: z
    .string()
    .trim()
    .refine((token) => token !== '', EMPTY_TOKEN)
    .refine((token) => token === '' || /^[\w.-]{20,}$/.test(token), 'does not look like a bot token (letters, digits, "." "-" "_", 20+ characters)')
    .optional(),
  DISCORD_CLIENT_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  CORPUS_DIR: z.string().min(1).default(DEFAULT_CORPUS_DIR),
  /** Hosts or addresses imports may reach although they are private or local (comma-separated); none by default. */
  IMPORT_ALLOW_HOSTS: z
    .string()
    .trim()
    .transform((value) => parseAllowHosts(value))
    .default(new Set<string>()),
  /** A folder of extra command files, loaded beside commands/ (one command per file). */
  EXTRA_COMMANDS_DIR: z.string().min(1).optional(),
  /** Where the database lives; ":memory:" keeps nothing (tests). */
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  /** postgres://user:password@host:5432/database: a shared store for several workers, instead of SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .trim()
    .refine(isPostgresUrl, 'must be a postgres:// URL (postgres://user:password@host:5432/database)')
    .optional(),
  /** GET /healthz and /metrics on this port when set; loopback unless HTTP_HOST says otherwise. */
  HTTP_PORT: port.optional(),
  HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** The HTTP interactions endpoint (POST /interactions) is served when both are set. */
  DISCORD_PUBLIC_KEY: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, "must be the application's public key (64 hex characters)")
    .optional(),
  INTERACTIONS_PORT: port.optional(),
  /** Loopback by default: Discord reaches the endpoint through a TLS reverse proxy. */
  INTERACTIONS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Gateway shards: 'auto' takes Discord's recommended count, a number runs that many; unset runs one. */
  SHARDS: z
    .string()
    .trim()
    .regex(/^(auto|\d{1,4})$/, "must be 'auto' or a whole number of shards (1–1000)")
    .transform((value) => (value === 'auto' ? ('auto' as const) : Number(value)))
    .refine((value) => value === 'auto' || (value >= 1 && value <= 1000), "must be 'auto' or a whole number of shards (1–1000)")
    .optional(),
});

export type Config = z.infer<typeof schema>;

export { ConfigError } from './config-error.ts';

/** Empty strings count as unset, as they do in most .env files — except DISCORD_TOKEN, which must be absent to be unset. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && (entry[1] !== '' || entry[0] === 'DISCORD_TOKEN')));
}

/** Validates the environment; throws ConfigError listing every problem (values are never shown). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}

/** The settings the Discord bot cannot run without; throws ConfigError when one is missing. */
export function requireDiscord(config: Config): Config & { DISCORD_TOKEN: string; DISCORD_CLIENT_ID: string } {
  const missing = (['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'] as const).filter((key) => config[key] === undefined);
  if (missing.length > 0) throw new ConfigError(missing.map((key) => `${key}: required to run on Discord (see .env.example)`));
  return config as Config & { DISCORD_TOKEN: string; DISCORD_CLIENT_ID: string };
}
