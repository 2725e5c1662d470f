/**
 * A REST proxy between the bot and the fake Discord, for faults the fake
 * itself does not make: a request that hangs (the network ate the reply) and
 * a 2xx reply whose body is not JSON (Discord took the request, the reply got
 * garbled). Everything else passes through unchanged. Give the bot
 * `proxy.apiUrl` as DISCORD_API_URL; the gateway URL still comes from the fake.
 */
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'hang' | 'garble';

interface Rule {
  matches: (method: string, path: string) => boolean;
  fault: Fault;
  remaining: number;
}

export interface ProxiedCall {
  method: string;
  path: string;
  at: number;
  fault?: Fault;
}

export class FaultyProxy {
  readonly calls: ProxiedCall[] = [];
  private readonly rules: Rule[] = [];
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {
    server.on('request', (request, response) => void this.onRequest(request, response));
  }

  /** A proxy to `apiUrl` (the fake's REST base, e.g. http://127.0.0.1:PORT/api). */
  static async start(apiUrl: string): Promise<FaultyProxy> {
    const proxy = new FaultyProxy(createServer(), new URL(apiUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.target.pathname}`;
  }

  /** The next `times` requests matching `route` ("METHOD /path" with the path decoded) get `fault`. */
  fail(route: RegExp, fault: Fault, times = 1): void {
    this.rules.push({ matches: (method, path) => route.test(`${method} ${path}`), fault, remaining: times });
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = request.method ?? 'GET';
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname);
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && candidate.matches(method, path));
    if (rule) rule.remaining -= 1;
    this.calls.push({ method, path, at: Date.now(), ...(rule ? { fault: rule.fault } : {}) });
    if (rule?.fault === 'hang') {
      // Never answered: the request reached no one, as far as the bot can tell.
      this.held.add(response);
      response.on('close', () => this.held.delete(response));
      return;
    }
    const upstream = await this.pass(request, body);
    if (rule?.fault === 'garble') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id": "1", this is not JSON');
      return;
    }
    response.writeHead(upstream.status, upstream.headers);
    response.end(upstream.body);
  }

  private pass(request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, host: this.target.host };
      const outgoing = forward({ host: this.target.hostname, port: this.target.port, method: request.method, path: request.url, headers }, (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          const passed: Record<string, string> = {};
          for (const [name, value] of Object.entries(reply.headers)) if (typeof value === 'string') passed[name] = value;
          resolve({ status: reply.statusCode ?? 502, headers: passed, body: Buffer.concat(parts) });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
