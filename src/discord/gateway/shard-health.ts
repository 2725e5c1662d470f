/**
 * The gateway's state for health and metrics when it runs several shards: the
 * worst of its shards' (one disconnected shard means a share of the servers
 * gets no answers), 'ready' only once every shard is. Each shard is followed
 * by `trackGateway`, told which shard an event concerns.
 */
import { Events } from 'discord.js';
import { trackGateway, type GatewayEvents } from '../../observability/gateway.ts';
import type { GatewayState } from '../../observability/metrics.ts';

/** Worst first: the combined state is the first of these any shard is in. */
const SEVERITY: readonly GatewayState[] = ['disconnected', 'reconnecting', 'connecting'];

/** The shard id an event is about; undefined for events about the whole session (Invalidated). */
function shardIn(event: string, args: unknown[]): number | undefined {
  const id = event === Events.ShardDisconnect ? args[1] : args[0];
  return typeof id === 'number' ? id : undefined;
}

/** `shardCount` is how many shards the client runs, once it knows (with SHARDS=auto, after asking Discord). */
export function trackShards(client: GatewayEvents, shardCount: () => number, setState: (state: GatewayState) => void): void {
  const states = new Map<number, GatewayState>();
  let concerning: number | undefined;
  const combined = (): GatewayState => {
    const worst = SEVERITY.find((state) => [...states.values()].includes(state));
    if (worst !== undefined) return worst;
    return states.size >= shardCount() ? 'ready' : 'connecting';
  };
  // Notes which shard each event concerns just before trackGateway's listener turns it into a state.
  const perShard: GatewayEvents = {
    on: (event, listener) =>
      client.on(event, (...args: unknown[]) => {
        concerning = shardIn(event, args);
        listener(...args);
      }),
  };
  trackGateway(perShard, (state) => {
    if (concerning === undefined) {
      for (const shard of states.keys()) states.set(shard, state);
      setState(states.size === 0 ? state : combined());
    } else {
      states.set(concerning, state);
      setState(combined());
    }
  });
}
