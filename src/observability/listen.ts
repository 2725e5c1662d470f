/** Starting an HTTP server on a configured port, with a clear start-up error when it cannot be had. */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config-error.ts';

/** Listens on `host`:`port` and resolves with the port (the one chosen when `port` is 0). `setting` names the port's key for the error. */
export async function listen(server: Server, port: number, host: string, setting: string): Promise<number> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges Footnote does not have' : `cannot be used (${code})`;
    throw new ConfigError([`${setting}: ${host}:${port} ${why}`]);
  }
  return (server.address() as AddressInfo).port;
}

/** Stops taking connections, closes idle keep-alive ones, and resolves once the busy ones are done. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
