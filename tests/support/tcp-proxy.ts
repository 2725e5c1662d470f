/**
 * A TCP proxy on 127.0.0.1 that can cut the line: between a worker and its
 * Postgres, an outage without stopping the Postgres other tests share.
 * `down()` drops every open connection and every new one until `up()`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private open = new Set<Socket>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      if (!proxy || proxy.cut) {
        client.destroy();
        return;
      }
      const upstream = connect(targetPort, targetHost);
      const pair = proxy.open;
      pair.add(client);
      pair.add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        pair.delete(client);
        pair.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
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
