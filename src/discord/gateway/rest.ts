/**
 * The gateway bot's two REST clients. The bot's own (discord.js's, with its
 * 50 requests/s global limit) carries channel messages and threads. A second
 * one carries interaction callbacks and webhook calls, which Discord exempts
 * from the global limit: routed through the first, 300 deferred answers were
 * edited at 50 a second. Both cap rate-limit waits: an interaction's request
 * never waits past its window (3 s for the first response, 15 minutes for the
 * token), and the bot's own never waits longer than a few seconds.
 */
import { REST, RequestMethod, type RateLimitData, type RequestData, type RESTOptions, type RouteLike } from 'discord.js';
import { snowflakeTime, TOKEN_WINDOW_MS, CALLBACK_WINDOW_MS, waitOutlives } from '../api/deadlines.ts';
import type { Rest } from '../api/respond.ts';
import { scrub, type Logger } from '../../log.ts';

/** A wait this long for the bot's own calls (a DM reply, a thread) is not worth it: fail and log instead. */
const LONGEST_BOT_WAIT_MS = 5_000;
/** Idle per-token rate-limit queues are dropped this often, so thousands of answered interactions leave nothing behind. */
const HANDLER_SWEEP_MS = 30_000;

const CALLBACK_URL = /\/interactions\/(\d+)\/[^/]+\/callback/;
const WEBHOOK_URL = /\/webhooks\/\d+\/([^/?]+)/;

/** How long a rate limit asks to wait, whichever way discord.js reports it. */
function waitOf(limit: RateLimitData): number {
  return Math.max(limit.retryAfter, limit.timeToReset);
}

function logLimit(logger: Logger, limit: RateLimitData, willWait: boolean): void {
  logger.warn({ route: limit.route, method: limit.method, retryAfterMs: waitOf(limit), global: limit.global, willWait }, 'rate limited by Discord');
}

function apiOption(api: string | undefined): Partial<RESTOptions> {
  return api === undefined ? {} : { api: api.replace(/\/+$/, '') };
}

/** Options for the bot's own client (discord.js's `rest` option). */
export function botRestOptions(api: string | undefined, logger: Logger): Partial<RESTOptions> {
  return {
    ...apiOption(api),
    // Called on every rate limit Discord reports (429) or that discord.js foresees: log it, and wait unless the wait is too long.
    rejectOnRateLimit: (limit: RateLimitData) => {
      const reject = waitOf(limit) > LONGEST_BOT_WAIT_MS;
      logLimit(logger, limit, !reject);
      return reject;
    },
  };
}

/** When the interaction a webhook token belongs to was created, for the tokens in flight. */
export class TokenClock {
  private readonly created = new Map<string, number>();

  /** Remembers `token` until the returned function is called. */
  hold(token: string, interactionId: string): () => void {
    this.created.set(token, snowflakeTime(interactionId));
    return () => this.created.delete(token);
  }

  /** Until when a request to `url` can still matter: the first response's or the token's deadline. */
  deadlineOf(url: string, now = Date.now()): number {
    const callback = CALLBACK_URL.exec(url);
    if (callback) return snowflakeTime(callback[1] as string) + CALLBACK_WINDOW_MS;
    const created = this.created.get(WEBHOOK_URL.exec(url)?.[1] ?? '');
    return created === undefined ? now + LONGEST_BOT_WAIT_MS : created + TOKEN_WINDOW_MS;
  }
}

/** The client for interaction callbacks and webhooks: no global limit, waits capped by each interaction's window. */
export function interactionRest(api: string | undefined, logger: Logger, tokens: TokenClock): REST {
  return new REST({
    ...apiOption(api),
    // Discord exempts interaction endpoints from the global limit; per-route limits still apply.
    globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    handlerSweepInterval: HANDLER_SWEEP_MS,
    rejectOnRateLimit: (limit: RateLimitData) => {
      const reject = waitOutlives(waitOf(limit), tokens.deadlineOf(limit.url));
      logLimit(logger, limit, !reject);
      return reject;
    },
  });
}

/**
 * The pipeline's view of a REST client, where a 2xx reply whose body is not
 * JSON counts as delivered (with a warning) instead of as a failure to send:
 * Discord took the request; only its reply was garbled.
 */
export function lenientRest(rest: REST, logger: Logger): Rest {
  const call =
    (method: RequestMethod) =>
    async (route: RouteLike, options: RequestData = {}): Promise<unknown> => {
      const response = await rest.queueRequest({ ...options, fullRoute: route, method });
      const text = await response.text();
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        logger.warn({ method, route: scrub(route), status: response.status }, 'Discord took the request, but its reply was not valid JSON');
        return undefined;
      }
    };
  return { get: call(RequestMethod.Get), post: call(RequestMethod.Post), patch: call(RequestMethod.Patch), delete: call(RequestMethod.Delete) };
}
