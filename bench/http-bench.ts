/**
 * HTTP interactions throughput: signed /ask interactions (each from a new
 * user, so the per-user cooldown never answers instead) sent with 32 in
 * flight to one worker and to two, through a round-robin balancer; answers
 * come back in the HTTP response (type 4), so no Discord is involved. Also two
 * workers balanced by the sender itself (no balancer process in the way), and
 * the cost of one signature check.
 *
 * Everything shares this machine's cores: the sender and the balancer (this
 * process) compete with the workers, so per-process CPU is reported beside
 * the rates.
 *
 * Run alone with `npx tsx bench/http-bench.ts` (BENCH_SECONDS to change the
 * 8 s measured per setup).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median, percentile, round } from '../eval/stats.ts';
import { publicKeyFromHex, verifyRequest } from '../src/discord/http/signature.ts';
import { ROOT } from '../tests/support/app.ts';
import { InteractionKeys, RoundRobin, WorkerProcess } from '../tests/support/http-interactions.ts';
import { describeMachine } from './machine.ts';

const IN_FLIGHT = 32;
const WARM_UP_MS = 2_000;
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1_000;
const SIGNATURE_CHECKS = 5_000;
const APPLICATION_ID = '1100000000000000001';
const GUILD_ID = '1100000000000000002';
const CHANNEL_ID = '1100000000000000003';
const DISCORD_EPOCH = 1_420_070_400_000n;

export interface Setup {
  name: string;
  workers: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests not answered with 200 and a type 4 message. */
  failed: number;
  /** CPU used while measuring, in cores (1 = one core busy throughout): the sender and balancer, then each worker. */
  senderCores: number;
  workerCores: number[];
  /** Requests answered per second of worker CPU: flat from 1 to 2 workers when nothing is shared between them. */
  perWorkerCpuSecond: number;
}

export interface HttpFigures {
  setups: Setup[];
  /** Two workers behind the balancer over one. */
  speedup: number;
  /** Two workers balanced by the sender over one. */
  speedupWithoutBalancer: number;
  signatureCheckUs: number;
  signUs: number;
}

let sequence = 0n;
function snowflake(): string {
  sequence = (sequence + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | sequence).toString();
}

/** A guild slash command as Discord sends it, from a user never seen before. */
function askPayload(question: string): string {
  const user = { id: snowflake(), username: `reader${randomBytes(3).toString('hex')}`, global_name: null, discriminator: '0', avatar: null };
  return JSON.stringify({
    id: snowflake(),
    application_id: APPLICATION_ID,
    type: 2,
    token: `bench-${randomBytes(16).toString('hex')}`,
    version: 1,
    data: { id: APPLICATION_ID, name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }] },
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'study-group' },
    member: { user, nick: null, avatar: null, roles: [], joined_at: new Date().toISOString(), premium_since: null, deaf: false, mute: false, pending: false, flags: 0, permissions: '2248473465835073' },
    app_permissions: '2248473465835073',
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
  });
}

function questions(): string[] {
  const list = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'article-questions.json'), 'utf8')) as { question: string }[];
  return list.map((entry) => entry.question);
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** Keep-alive sockets, as Discord's own sender keeps them; lighter on this process's CPU than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

/** POSTs `body` and resolves with the status and the answer's interaction response type. */
function send(target: URL, body: string, headers: Record<string, string>): Promise<{ status: number; type: unknown }> {
  return new Promise((resolve, reject) => {
    const sent = request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, type: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown }).type });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.once('error', reject);
    });
    sent.once('error', reject);
    sent.end(body);
  });
}

/** Sends requests from IN_FLIGHT loops until `untilMs`; records latencies and failures. */
async function load(targets: URL[], keys: InteractionKeys, asked: string[], untilMs: number, latencies: number[] | undefined): Promise<{ requests: number; failed: number }> {
  let next = 0;
  let requests = 0;
  let failed = 0;
  const loop = async () => {
    while (performance.now() < untilMs) {
      const body = askPayload(asked[next % asked.length] as string);
      const target = targets[next % targets.length] as URL;
      next += 1;
      const started = performance.now();
      try {
        const answer = await send(target, body, keys.headers(body));
        if (answer.status !== 200 || answer.type !== 4) failed += 1;
      } catch {
        failed += 1;
      }
      latencies?.push(performance.now() - started);
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  return { requests, failed };
}

async function measure(name: string, workers: WorkerProcess[], viaBalancer: boolean, keys: InteractionKeys, asked: string[]): Promise<Setup> {
  const balancer = viaBalancer ? await RoundRobin.start(workers.map((worker) => worker.port)) : undefined;
  const targets = (balancer ? [balancer.url] : workers.map((worker) => worker.url)).map((url) => new URL(url));
  try {
    await load(targets, keys, asked, performance.now() + WARM_UP_MS, undefined);
    const latencies: number[] = [];
    const senderBefore = process.cpuUsage();
    const workersBefore = workers.map((worker) => cpuSeconds(worker.child.pid as number));
    const started = performance.now();
    const { requests, failed } = await load(targets, keys, asked, started + MEASURE_MS, latencies);
    const seconds = (performance.now() - started) / 1000;
    const sender = process.cpuUsage(senderBefore);
    const workerSeconds = workers.reduce((sum, worker, i) => sum + cpuSeconds(worker.child.pid as number) - (workersBefore[i] as number), 0);
    return {
      name,
      workers: workers.length,
      requests,
      perSecond: Math.round(requests / seconds),
      p50Ms: round(median(latencies), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      failed,
      senderCores: round((sender.user + sender.system) / 1e6 / seconds, 2),
      workerCores: workers.map((worker, i) => round((cpuSeconds(worker.child.pid as number) - (workersBefore[i] as number)) / seconds, 2)),
      perWorkerCpuSecond: Math.round(requests / workerSeconds),
    };
  } finally {
    await balancer?.close();
  }
}

/** CPU microseconds per call of `work`, over `count` calls after a warm-up: CPU time, not wall time, so other load on the machine hardly moves it. */
function timeEach(count: number, work: (i: number) => void): number {
  for (let i = 0; i < 200; i += 1) work(i);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) work(i);
  const used = process.cpuUsage(before);
  return round((used.user + used.system) / count, 1);
}

function signatureCosts(keys: InteractionKeys, asked: string[]): { signatureCheckUs: number; signUs: number } {
  const key = publicKeyFromHex(keys.publicKeyHex);
  const requests = Array.from({ length: 100 }, (_, i) => {
    const body = askPayload(asked[i % asked.length] as string);
    const headers = keys.headers(body);
    return { signature: headers['x-signature-ed25519'], timestamp: headers['x-signature-timestamp'], body: Buffer.from(body) };
  });
  const signatureCheckUs = timeEach(SIGNATURE_CHECKS, (i) => {
    if (!verifyRequest(key, requests[i % requests.length] as (typeof requests)[number]).ok) throw new Error('a valid signature was refused');
  });
  const signUs = timeEach(SIGNATURE_CHECKS, (i) => void keys.sign('1800000000', (requests[i % requests.length] as (typeof requests)[number]).body));
  return { signatureCheckUs, signUs };
}

export async function benchHttp(): Promise<HttpFigures> {
  const keys = new InteractionKeys();
  const asked = questions();
  const env = { DATA_DIR: ':memory:', LOG_LEVEL: 'info' };
  const [first, second] = await Promise.all([WorkerProcess.start(keys, env), WorkerProcess.start(keys, env)]);
  if (!first || !second) throw new Error('the workers did not start');
  try {
    const one = await measure('1 worker, through the balancer', [first], true, keys, asked);
    const two = await measure('2 workers, through the balancer', [first, second], true, keys, asked);
    const twoDirect = await measure('2 workers, balanced by the sender', [first, second], false, keys, asked);
    const oneDirect = await measure('1 worker, direct', [first], false, keys, asked);
    return {
      setups: [one, two, oneDirect, twoDirect],
      speedup: round(two.perSecond / one.perSecond, 2),
      speedupWithoutBalancer: round(twoDirect.perSecond / oneDirect.perSecond, 2),
      ...signatureCosts(keys, asked),
    };
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
}

/** The figures as the tables this bench prints. */
export function formatHttpFigures(figures: HttpFigures): string {
  const lines = [
    '| setup | requests/s | p50 ms | p99 ms | failed | CPU: sender + balancer | CPU: workers | requests per worker CPU-second |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...figures.setups.map((setup) => `| ${setup.name} | ${setup.perSecond} | ${setup.p50Ms} | ${setup.p99Ms} | ${setup.failed} | ${setup.senderCores} | ${setup.workerCores.join(' + ')} | ${setup.perWorkerCpuSecond} |`),
    '',
    `2 workers / 1 worker: ${figures.speedup}× through the balancer, ${figures.speedupWithoutBalancer}× balanced by the sender (target 1.6×)`,
    `signature check (verify): ${figures.signatureCheckUs} µs of CPU per request; signing (the sender's side): ${figures.signUs} µs`,
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const machine = describeMachine(ROOT);
  const figures = await benchHttp();
  console.log(`HTTP interactions bench: signed /ask, ${IN_FLIGHT} in flight, ${MEASURE_MS / 1000} s per setup after ${WARM_UP_MS / 1000} s of warm-up`);
  console.log(`${machine.cpu}, ${cpus().length} cores, Node ${machine.node}, load ${machine.load_at_start} at start, ${machine.revision}\n`);
  console.log(formatHttpFigures(figures));
}
