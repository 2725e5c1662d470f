/**
 * The gateway connection's state for /healthz and /metrics, from the events
 * a discord.js client emits. The gateway transport calls `trackGateway` with
 * its client; until then a process with a gateway reports it 'unobserved'.
 */
import { Events } from 'discord.js';
import type { GatewayState } from './metrics.ts';

/** The part of a discord.js Client this needs. */
export interface GatewayEvents {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Follows the client from login on: 'connecting', then 'ready', 'reconnecting' or 'disconnected' as it goes. */
export function trackGateway(client: GatewayEvents, setState: (state: GatewayState) => void): void {
  setState('connecting');
  client.on(Events.ShardReady, () => setState('ready'));
  client.on(Events.ShardResume, () => setState('ready'));
  client.on(Events.ShardReconnecting, () => setState('reconnecting'));
  client.on(Events.ShardDisconnect, () => setState('disconnected'));
  // The session cannot be resumed or restarted (a revoked token): nothing will bring it back.
  client.on(Events.Invalidated, () => setState('disconnected'));
}
