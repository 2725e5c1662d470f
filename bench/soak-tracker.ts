/**
 * What became of each interaction the soak sent, read from the fake
 * Discord's call log with a cursor (O(1) per call, however many thousands):
 * when it was first acknowledged, when its final message arrived, and
 * whether that was an answer (an embed) or a notice (an apology, a
 * "restarting", a "slow down").
 */
import type { FakeDiscord, RecordedCall, SentInteraction } from '../tests/support/fake-discord.ts';

const CALLBACK = /\/interactions\/(\d+)\/[^/]+\/callback$/;
const WEBHOOK = /\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/;

export interface Fate {
  sent: SentInteraction;
  /** Fake-clock ms from creation to the accepted first response; undefined if never acknowledged. */
  ackMs?: number;
  ackType?: number;
  /** Fake-clock ms from creation to the message the user ends up with. */
  finalMs?: number;
  final?: 'answer' | 'notice';
  /** Text of a final notice, to tell an apology from a cooldown. */
  notice?: string;
  /** Refused calls (4xx/5xx) about this interaction. */
  refused: number;
}

interface MessageBody {
  content?: string;
  embeds?: unknown[];
}

function kindOf(body: MessageBody | undefined): Pick<Fate, 'final' | 'notice'> {
  if ((body?.embeds?.length ?? 0) > 0) return { final: 'answer' };
  return { final: 'notice', notice: body?.content ?? '' };
}

/** Nothing more will happen to it: a final message, or refused without ever being acknowledged. */
const isSettled = (fate: Fate) => fate.final !== undefined || (fate.ackMs === undefined && fate.refused > 0);

export class FateTracker {
  readonly fates: Fate[] = [];
  private cursor: number;
  private readonly byId = new Map<string, Fate>();
  private readonly byToken = new Map<string, Fate>();
  private readonly waiters = new Map<Fate, (fate: Fate) => void>();
  private settledCount = 0;
  private stopped = false;
  private readonly pump: Promise<unknown>;

  /** Follows the fake's calls from now until `stop`. */
  constructor(private readonly fake: FakeDiscord) {
    this.cursor = fake.calls.length;
    this.pump = fake.waitFor(() => (this.update(), this.stopped || undefined), 24 * 3_600_000, 'the soak to stop').catch(() => undefined);
  }

  /** Starts following `sent`; resolves when it is settled. */
  track(sent: SentInteraction): Promise<Fate> {
    const fate: Fate = { sent, refused: 0 };
    this.fates.push(fate);
    this.byId.set(sent.id, fate);
    this.byToken.set(sent.token, fate);
    return new Promise((resolve) => this.waiters.set(fate, resolve));
  }

  get settled(): number {
    return this.settledCount;
  }

  /** Resolves once every tracked interaction is settled, or at `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    await this.fake.waitFor(() => this.settledCount >= this.fates.length || undefined, timeoutMs, 'every interaction to be settled').catch(() => undefined);
  }

  /** Stops following calls; call before the fake closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.update();
    await Promise.race([this.pump, new Promise((resolve) => setTimeout(resolve, 100))]);
  }

  /** Reads the calls recorded since the last look. */
  update(): void {
    const calls = this.fake.calls;
    for (; this.cursor < calls.length; this.cursor++) {
      const fate = this.read(calls[this.cursor] as RecordedCall);
      const resolve = fate && this.waiters.get(fate);
      if (fate && resolve && isSettled(fate)) {
        this.waiters.delete(fate);
        this.settledCount += 1;
        resolve(fate);
      }
    }
  }

  private read(call: RecordedCall): Fate | undefined {
    const callback = CALLBACK.exec(call.route);
    const webhook = callback ? null : WEBHOOK.exec(call.route);
    const fate = callback ? this.byId.get(callback[1] as string) : webhook ? this.byToken.get(webhook[1] as string) : undefined;
    if (!fate) return undefined;
    if (call.status >= 300) {
      fate.refused += 1;
      return fate;
    }
    const at = call.at - fate.sent.createdAt;
    const body = call.body as { type?: number; data?: MessageBody } & MessageBody;
    if (callback) {
      fate.ackMs = at;
      fate.ackType = body.type;
      if (body.type === 4 || body.type === 7 || body.type === 8 || body.type === 9) Object.assign(fate, { finalMs: at, ...kindOf(body.data) });
      return fate;
    }
    // After a deferral: the edit of @original, or a follow-up that replaces it.
    const edit = call.method === 'PATCH' && webhook?.[2] !== undefined;
    const followUp = call.method === 'POST' && webhook?.[2] === undefined;
    if ((edit || followUp) && fate.final !== 'answer') Object.assign(fate, { finalMs: at, ...kindOf(body) });
    return fate;
  }
}
