/**
 * A TCP proxy on 127.0.0.1 that can cut the line: between a worker and its
 * Postgres, an outage without stopping the Postgres other tests share.
 * `down()` drops every open connection and every new one until `up()`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FakeDiscord } from './fake-discord.ts';
import { HttpDiscord, InteractionKeys, WorkerProcess } from './http-interactions.ts';
import { dropSchema, freshSchema } from './postgres.ts';

export class TcpProxy {
  private readonly open = new Set<Socket>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(createServer(), targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  private accept(client: Socket): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    this.open.add(client);
    this.open.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  }

  down(): void {
    this.cut = true;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  up(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * An HTTP interactions worker whose Postgres (a fresh schema of `databaseUrl`'s
 * server) is reached through a TcpProxy, with the fake Discord in front: what
 * an outage test or soak cuts and mends.
 */
export interface WorkerBehindProxy {
  fake: FakeDiscord;
  discord: HttpDiscord;
  worker: WorkerProcess;
  proxy: TcpProxy;
  close(): Promise<void>;
}

export async function workerBehindProxy(databaseUrl: string): Promise<WorkerBehindProxy> {
  const fake = await FakeDiscord.start();
  const keys = new InteractionKeys();
  const discord = await HttpDiscord.start(fake, keys);
  const schema = await freshSchema(databaseUrl);
  const direct = new URL(databaseUrl);
  const proxy = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
  const viaProxy = new URL(databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  viaProxy.searchParams.set('options', `-c search_path=${schema}`);
  const worker = await WorkerProcess.start(keys, { DISCORD_API_URL: discord.apiUrl, DATABASE_URL: viaProxy.toString(), HTTP_PORT: '0' });
  return {
    fake,
    discord,
    worker,
    proxy,
    async close() {
      worker.kill();
      await proxy.close();
      await discord.close();
      await fake.close();
      await dropSchema(databaseUrl, schema);
    },
  };
}
