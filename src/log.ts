/**
 * Structured logs (pino, one JSON object per line on stdout). Secrets never
 * reach a log line: the bot token is redacted wherever it could appear, and
 * interaction/webhook tokens are cut out of the URLs that REST errors carry.
 * Message content is logged at debug level only.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const secrets = new Set<string>();

/** Registers a value (the bot token) that must never appear in a log line. */
export function hideSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 8) secrets.add(value);
}

/** Removes registered secrets and the per-interaction tokens in Discord URLs. */
export function scrub(text: string): string {
  let out = text.replace(/(\/(?:interactions|webhooks)\/\d+)\/[^/?\s"']+/g, '$1/[token]');
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * Errors as name, message, status and stack only: discord.js REST errors also
 * carry the request body (someone's question), which is content.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrub(String(error)) };
  const extra = error as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    type: error.name,
    message: scrub(error.message),
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(typeof extra.status === 'number' ? { status: extra.status } : {}),
    ...(typeof extra.method === 'string' ? { method: extra.method } : {}),
    ...(typeof extra.url === 'string' ? { url: scrub(extra.url) } : {}),
    ...(error.stack ? { stack: scrub(error.stack) } : {}),
  };
}

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'footnote' },
      redact: { paths: ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'authorization', '*.authorization', '*.headers.authorization'], censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    // Synchronous, so the last lines are written even when the process exits right after.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Standard error, written synchronously: for logs beside the terminal chat, which owns standard output. */
export function stderrDestination(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

/** A condition that lasts (a database down) is reported once a minute, not once an event. */
const WARN_EVERY_MS = 60_000;

/** A warning for `error` at most once a minute: what a lasting outage says in the log. */
export function warnNowAndThen(logger: Logger, message: string): (error: unknown) => void {
  let lastWarned = -Infinity;
  return (error) => {
    const now = Date.now();
    if (now - lastWarned < WARN_EVERY_MS) return;
    lastWarned = now;
    logger.warn({ err: error }, message);
  };
}

/** When each message was last warned, in this process (events log through child loggers, so not per logger). */
const lastWarnings = new Map<string, number>();

/** `logger.warn` for `message` at most once a minute in this process: for failures every event may meet. */
export function warnAtMostEveryMinute(logger: Logger, error: unknown, message: string): void {
  const now = Date.now();
  if (now - (lastWarnings.get(message) ?? -Infinity) < WARN_EVERY_MS) return;
  lastWarnings.set(message, now);
  logger.warn({ err: error }, message);
}
