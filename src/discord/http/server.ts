/**
 * The HTTP interactions endpoint: Discord POSTs each interaction to
 * /interactions, signed with the application's key. Checked in order of cost:
 * the route, the size (64 KB), the signature and its age, then the JSON. PING
 * is answered here; everything else takes the pipeline's one path, with the
 * HTTP response as the first answer (exchange.ts). A worker keeps nothing of
 * its own between requests (buttons carry their state, the store the rest),
 * so any number of them can serve one application behind a load balancer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord.js';
import type { Logger } from '../../log.ts';
import { closeServer, listen } from '../../observability/listen.ts';
import { routeInteraction } from '../api/interactions.ts';
import { prepareInteraction } from '../api/shared-state.ts';
import type { PipelineServices } from '../api/pipeline.ts';
import type { Rest } from '../api/respond.ts';
import { HttpExchange } from './exchange.ts';
import { verifyRequest } from './signature.ts';
import { warnAtMostEveryMinute } from '../../log.ts';

/** Discord's interactions are a few KB; anything much larger is not one. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A request must arrive whole within this (a slow sender holds a socket, not the 3 s). */
const REQUEST_TIMEOUT_MS = 10_000;
/** As long as a signed request stays valid (signature.ts): a replay within it is refused. */
const REPLAY_WINDOW_MS = 6 * 60_000;
/** How long stopping waits for answers still being sent (webhook edits after a deferral). */
const DRAIN_MS = 1_500;

export interface EndpointOptions {
  host: string;
  port: number;
  publicKey: KeyObject;
  services: PipelineServices;
  /** REST for webhook edits and follow-ups (DISCORD_API_URL honoured). */
  rest: Rest;
  logger: Logger;
}

export interface Endpoint {
  port: number;
  /** Stops taking requests and waits (a little) for the answers in progress. */
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  response.end(text);
}

/** The raw body, or 'too-large' as soon as it passes `limit` (the rest is drained, never kept). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', reject);
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The fields every interaction has; the routers read the rest defensively. */
const KNOWN_TYPES = new Set<number>([
  InteractionType.ApplicationCommand,
  InteractionType.MessageComponent,
  InteractionType.ApplicationCommandAutocomplete,
  InteractionType.ModalSubmit,
]);

function asInteraction(value: unknown): APIInteraction | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const candidate = value as Record<string, unknown>;
  if (!Number.isInteger(candidate.type)) return undefined;
  if (candidate.type === InteractionType.Ping) return candidate as unknown as APIInteraction;
  // A type Discord does not send (or not yet) is a bad request, not a failure of ours.
  if (!KNOWN_TYPES.has(candidate.type as number)) return undefined;
  const complete =
    typeof candidate.id === 'string' &&
    typeof candidate.token === 'string' &&
    typeof candidate.application_id === 'string' &&
    typeof candidate.data === 'object' &&
    candidate.data !== null;
  return complete ? (candidate as unknown as APIInteraction) : undefined;
}

/**
 * Whether this is the first delivery of an interaction: a signed request is
 * valid for 5 minutes, so a captured one could be sent again (to this worker
 * or another) and run twice. The id is taken once in the shared store, in a
 * window as long as a signature's; if the store cannot be reached, the
 * request runs (a question must not wait on the database) and says so in the log.
 */
async function firstDelivery(services: PipelineServices, id: string): Promise<boolean> {
  try {
    return (await services.app.context.store.rateLimits.take(`interaction:${id}`, 1, REPLAY_WINDOW_MS, Date.now())).allowed;
  } catch (error) {
    warnAtMostEveryMinute(services.logger, error, 'could not check interactions for replays: the store is out of reach');
    return true;
  }
}

export async function startInteractionsEndpoint(options: EndpointOptions): Promise<Endpoint> {
  const { logger } = options;
  const inFlight = new Set<Promise<void>>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/interactions') return reply(response, 404, { error: 'not found' });
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return reply(response, 405, { error: 'POST only' });
    }
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === 'too-large') return reply(response, 413, { error: `the body is over ${MAX_BODY_BYTES} bytes` }, true);
    const verdict = verifyRequest(options.publicKey, { signature: header(request, 'x-signature-ed25519'), timestamp: header(request, 'x-signature-timestamp'), body });
    if (!verdict.ok) {
      logger.debug({ reason: verdict.reason }, 'refused an interaction request');
      return reply(response, 401, { error: 'invalid request signature' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(response, 400, { error: 'the body is not JSON' });
    }
    const interaction = asInteraction(parsed);
    if (!interaction) return reply(response, 400, { error: 'the body is not an interaction' });
    if (interaction.type === InteractionType.Ping) return reply(response, 200, { type: InteractionResponseType.Pong });
    if (!(await firstDelivery(options.services, interaction.id))) {
      logger.warn({ type: interaction.type }, 'refused a replayed interaction request');
      return reply(response, 409, { error: 'this interaction was already received' });
    }

    const exchange = new HttpExchange(interaction, response, options.rest);
    try {
      // With a shared store, the cooldown token and the asker's conversation are read from it first.
      await routeInteraction(await prepareInteraction(options.services, interaction), interaction, exchange.transport);
    } catch (error) {
      logger.error({ err: error, type: interaction.type }, 'interaction handling failed unexpectedly');
    } finally {
      exchange.finish();
    }
  }

  // Timeouts are checked every second, not every 30 s (Node's default), so a slow sender is cut off at 10 s.
  const server: Server = createServer({ connectionsCheckingInterval: 1_000, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (request, response) => {
    const work = handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'interaction request failed');
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
      else response.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  const port = await listen(server, options.port, options.host, 'INTERACTIONS_PORT');
  logger.info({ host: options.host, port }, 'interactions endpoint listening');
  return {
    port,
    async close() {
      const closed = closeServer(server);
      await Promise.race([Promise.allSettled([closed, ...inFlight]), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
      server.closeAllConnections();
    },
  };
}
