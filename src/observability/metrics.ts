/**
 * What Footnote counts, in Prometheus terms (served as text on GET /metrics):
 * events by kind and outcome and their latency (fed by the pipeline's
 * observer hook), the gateway connection's state, store errors by reason, and
 * prom-client's standard process figures (CPU, memory, event-loop lag). One
 * registry per process, never prom-client's global one, so tests can make
 * their own.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventKind, EventObserver, Outcome } from './events.ts';
import type { StoreWriteError } from '../store/types.ts';

/**
 * The gateway connection as health and metrics report it: 'off' when this
 * process runs no gateway (an interactions worker), 'unobserved' when it runs
 * one whose state it is not told.
 */
export const GATEWAY_STATES = ['off', 'unobserved', 'connecting', 'ready', 'reconnecting', 'disconnected'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];

/** A store error's reason: a write's (disk full, read-only, busy, other), or 'unexpected' for anything else that failed. */
export type StoreErrorReason = StoreWriteError['reason'] | 'unexpected';
const STORE_ERROR_REASONS: readonly StoreErrorReason[] = ['full', 'read-only', 'busy', 'unreachable', 'other', 'unexpected'];

/** Seconds: most answers take milliseconds, a deferred one up to the handler's time, Discord's deadline is 3 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

export class Metrics implements EventObserver {
  readonly registry = new Registry();
  private gatewayNow: GatewayState = 'off';
  private readonly events = new Counter({
    name: 'footnote_interactions_total',
    help: 'Interactions (and DMs and mentions) handled, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'footnote_interaction_latency_seconds',
    help: 'Time from receiving an interaction or message to its answer being sent, by kind.',
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly gateway = new Gauge({
    name: 'footnote_gateway_state',
    help: 'The gateway connection: 1 for its current state, 0 for the others.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'footnote_store_errors_total',
    help: 'Store operations that failed, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private storeReachableNow = true;

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Every series exists from the start, so a rate over a fresh process is 0 rather than missing.
    for (const reason of STORE_ERROR_REASONS) this.storeErrors.inc({ reason }, 0);
    this.setGatewayState('off');
  }

  observe(kind: EventKind, outcome: Outcome, latencyMs: number): void {
    this.events.inc({ kind, outcome });
    this.latency.observe({ kind }, latencyMs / 1000);
  }

  get gatewayState(): GatewayState {
    return this.gatewayNow;
  }

  setGatewayState(state: GatewayState): void {
    this.gatewayNow = state;
    for (const each of GATEWAY_STATES) this.gateway.set({ state: each }, each === state ? 1 : 0);
  }

  storeError(reason: StoreErrorReason): void {
    this.storeErrors.inc({ reason });
    if (reason === 'unreachable') this.storeReachableNow = false;
  }

  /** A store call succeeded: the database is reachable (again). */
  storeReached(): void {
    this.storeReachableNow = true;
  }

  /** False from a call that found the database out of reach until one that reached it. */
  get storeReachable(): boolean {
    return this.storeReachableNow;
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
