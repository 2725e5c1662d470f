import { Client, Events } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { trackGateway } from '../src/observability/gateway.ts';
import { Metrics, type GatewayState } from '../src/observability/metrics.ts';
import { health } from '../src/observability/server.ts';
import { observedStore, storeKind } from '../src/observability/store.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { StoreWriteError, type Store } from '../src/store/types.ts';

/** The value of one sample line of the exposition, e.g. `footnote_store_errors_total{reason="full"}`. */
async function sample(metrics: Metrics, series: string): Promise<number | undefined> {
  const line = (await metrics.exposition()).text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Metrics', () => {
  it('counts events by kind and outcome and keeps their latency in a histogram', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.observe('slash', 'answered', 12);
    metrics.observe('slash', 'answered', 1_800);
    metrics.observe('button', 'cooldown', 1);
    expect(await sample(metrics, 'footnote_interactions_total{kind="slash",outcome="answered"}')).toBe(2);
    expect(await sample(metrics, 'footnote_interactions_total{kind="button",outcome="cooldown"}')).toBe(1);
    expect(await sample(metrics, 'footnote_interaction_latency_seconds_bucket{le="0.025",kind="slash"}')).toBe(1);
    expect(await sample(metrics, 'footnote_interaction_latency_seconds_bucket{le="2",kind="slash"}')).toBe(2);
    expect(await sample(metrics, 'footnote_interaction_latency_seconds_count{kind="slash"}')).toBe(2);
    expect(await sample(metrics, 'footnote_interaction_latency_seconds_sum{kind="slash"}')).toBeCloseTo(1.812);
  });

  it('shows one gateway state at a time, and every store error reason from zero', async () => {
    const metrics = new Metrics({ processMetrics: false });
    expect(metrics.gatewayState).toBe('off');
    metrics.setGatewayState('ready');
    expect(await sample(metrics, 'footnote_gateway_state{state="ready"}')).toBe(1);
    expect(await sample(metrics, 'footnote_gateway_state{state="off"}')).toBe(0);
    expect(await sample(metrics, 'footnote_store_errors_total{reason="busy"}')).toBe(0);
    metrics.storeError('busy');
    expect(await sample(metrics, 'footnote_store_errors_total{reason="busy"}')).toBe(1);
    const { contentType, text } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE footnote_interactions_total counter');
  });

  it('includes the process figures unless asked not to', async () => {
    expect((await new Metrics().exposition()).text).toContain('process_cpu_seconds_total');
    expect((await new Metrics({ processMetrics: false }).exposition()).text).not.toContain('process_cpu_seconds_total');
  });
});

describe('health', () => {
  it('is unavailable only while a gateway it watches is not ready, and degraded while the database cannot be reached', () => {
    const ok: GatewayState[] = ['ready', 'off', 'unobserved'];
    for (const state of ok) expect(health(state, 'sqlite')).toEqual({ status: 'ok', gateway: state, store: 'sqlite', storeReachable: true });
    for (const state of ['connecting', 'reconnecting', 'disconnected'] as const) expect(health(state, 'memory').status).toBe('unavailable');
    expect(health('ready', 'postgres', false)).toEqual({ status: 'degraded', gateway: 'ready', store: 'postgres', storeReachable: false });
  });

  it('follows the store: out of reach after a call that could not reach it, back after one that did', async () => {
    const metrics = new Metrics({ processMetrics: false });
    let down = true;
    const inner = new MemoryStore();
    const countByAuthorSince = (author: string, since: number) => (down ? Promise.reject(new StoreWriteError('unreachable', 'down')) : inner.notes.countByAuthorSince(author, since));
    const probe = observedStore(
      { ...inner, description: inner.description, notes: { ...inner.notes, countByAuthorSince } } as unknown as Store,
      (reason) => metrics.storeError(reason),
      () => metrics.storeReached(),
    );
    await expect(probe.notes.countByAuthorSince('x', 0)).rejects.toThrow('down');
    expect(metrics.storeReachable).toBe(false);
    down = false;
    await probe.notes.countByAuthorSince('x', 0);
    expect(metrics.storeReachable).toBe(true);
    expect((await metrics.exposition()).text).toContain('footnote_store_errors_total{reason="unreachable"} 1');
  });
});

describe('trackGateway', () => {
  it('follows a discord.js client from connecting to ready, reconnecting and back', () => {
    const client = new Client({ intents: [] });
    const states: GatewayState[] = [];
    trackGateway(client, (state) => states.push(state));
    client.emit(Events.ShardReady, 0, undefined);
    client.emit(Events.ShardReconnecting, 0);
    client.emit(Events.ShardResume, 0, 3);
    client.emit(Events.ShardDisconnect, { code: 4004 } as never, 0);
    expect(states).toEqual(['connecting', 'ready', 'reconnecting', 'ready', 'disconnected']);
  });
});

describe('observedStore', () => {
  it('counts failed store calls by reason and passes results and errors on unchanged', async () => {
    const inner = new MemoryStore();
    const reasons: string[] = [];
    const store = observedStore(inner, (reason) => reasons.push(reason));
    expect(store.description).toBe('memory');
    expect(storeKind(store)).toBe('memory');
    expect(await store.counters.increment('guild:1', 'n')).toBe(1);
    expect(await store.counters.get('guild:1', 'n')).toBe(1);

    const full = new StoreWriteError('full', 'disk full');
    inner.counters.increment = () => Promise.reject(full);
    await expect(store.counters.increment('guild:1', 'n')).rejects.toBe(full);
    inner.counters.get = () => {
      throw new TypeError('broken');
    };
    expect(() => store.counters.get('guild:1', 'n')).toThrow(TypeError);
    expect(reasons).toEqual(['full', 'unexpected']);
    await store.close();
  });

  it('names the kind of store, never its path', () => {
    expect(storeKind({ description: 'sqlite:/var/lib/footnote/footnote.db' } as unknown as MemoryStore)).toBe('sqlite');
  });
});
