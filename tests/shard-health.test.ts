import { EventEmitter } from 'node:events';
import { Events } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { trackShards } from '../src/discord/gateway/shard-health.ts';
import type { GatewayState } from '../src/observability/metrics.ts';

function tracked(shards: number): { client: EventEmitter; states: GatewayState[] } {
  const client = new EventEmitter();
  const states: GatewayState[] = [];
  trackShards(client, () => shards, (state) => states.push(state));
  return { client, states };
}

describe('the gateway state over several shards', () => {
  it('is connecting until every shard is ready', () => {
    const { client, states } = tracked(2);
    expect(states.at(-1)).toBe('connecting');
    client.emit(Events.ShardReady, 0, new Set());
    expect(states.at(-1)).toBe('connecting');
    client.emit(Events.ShardReady, 1, new Set());
    expect(states.at(-1)).toBe('ready');
  });

  it('is the worst shard state: one shard reconnecting or disconnected is not ready', () => {
    const { client, states } = tracked(2);
    client.emit(Events.ShardReady, 0, new Set());
    client.emit(Events.ShardReady, 1, new Set());
    client.emit(Events.ShardReconnecting, 1);
    expect(states.at(-1)).toBe('reconnecting');
    client.emit(Events.ShardDisconnect, { code: 1006 }, 0);
    expect(states.at(-1)).toBe('disconnected');
    client.emit(Events.ShardResume, 0, 3);
    expect(states.at(-1)).toBe('reconnecting');
    client.emit(Events.ShardResume, 1, 0);
    expect(states.at(-1)).toBe('ready');
  });

  it('an invalidated session takes every shard down', () => {
    const { client, states } = tracked(2);
    client.emit(Events.ShardReady, 0, new Set());
    client.emit(Events.ShardReady, 1, new Set());
    client.emit(Events.Invalidated);
    expect(states.at(-1)).toBe('disconnected');
  });

  it('with one shard, follows it as trackGateway does', () => {
    const { client, states } = tracked(1);
    client.emit(Events.ShardReady, 0, new Set());
    client.emit(Events.ShardReconnecting, 0);
    client.emit(Events.ShardResume, 0, 1);
    expect(states).toEqual(['connecting', 'ready', 'reconnecting', 'ready']);
  });
});
