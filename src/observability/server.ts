/**
 * GET /healthz and GET /metrics on HTTP_PORT (loopback unless HTTP_HOST says
 * otherwise): for a container's health check, a supervisor and Prometheus.
 * Anything else is 404. /healthz answers 503 while the gateway is not ready or
 * the database cannot be reached ("degraded": questions are still answered),
 * so a load balancer or orchestrator can tell; a process without a gateway
 * (an interactions worker) or one that cannot see it is healthy when it answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { closeServer, listen } from './listen.ts';
import type { GatewayState, Metrics } from './metrics.ts';

export interface HealthOptions {
  host: string;
  port: number;
  metrics: Metrics;
  /** The kind of store: "sqlite", "memory", … */
  store: string;
  logger: Logger;
}

export interface Health {
  /** 'degraded': questions are answered, but the database cannot be reached (notes, quizzes, plans are not). */
  status: 'ok' | 'unavailable' | 'degraded';
  gateway: GatewayState;
  store: string;
  storeReachable: boolean;
}

export interface ListeningServer {
  port: number;
  /** Stops taking connections and waits for the open ones to finish. */
  close(): Promise<void>;
}

const HEALTHY_GATEWAY: ReadonlySet<GatewayState> = new Set(['ready', 'off', 'unobserved']);

export function health(gateway: GatewayState, store: string, storeReachable = true): Health {
  const status = !HEALTHY_GATEWAY.has(gateway) ? 'unavailable' : storeReachable ? 'ok' : 'degraded';
  return { status, gateway, store, storeReachable };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

async function serve(options: HealthOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method === 'GET' && path === '/healthz') {
    const report = health(options.metrics.gatewayState, options.store, options.metrics.storeReachable);
    send(response, report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report));
    return;
  }
  if (request.method === 'GET' && path === '/metrics') {
    const { contentType, text } = await options.metrics.exposition();
    send(response, 200, contentType, text);
    return;
  }
  send(response, 404, 'application/json', JSON.stringify({ error: 'not found' }));
}

export async function startHealthServer(options: HealthOptions): Promise<ListeningServer> {
  const server = createServer((request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, 'health endpoint failed');
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
      else response.destroy();
    });
  });
  const port = await listen(server, options.port, options.host, 'HTTP_PORT');
  options.logger.info({ host: options.host, port }, 'health and metrics listening');
  return {
    port,
    close: () => closeServer(server),
  };
}
