import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorCode } from './client';
import type { CpuPerRequest } from './cpu';

/** One stream of requests: a fixed body, or a new one for each request (the opacity an editor sets). */
export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string | (() => string);
  /** Connections of their own (closed loop: each sends its next request when the answer arrives). */
  connections: number;
}

export interface LoadResult {
  seconds: number;
  requests: number;
  /** Answers per second, errors included (they are listed beside it). */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** GraphQL error codes (CONFLICT among them), `HTTP <status>`, or `transport` (refused, reset, timed out), with counts. */
  errors: Record<string, number>;
  /** Mean answer size in bytes. */
  bytes: number;
  /** % of the machine's CPU that processes other than the bench's used during the run (see cpu.ts), when measured. */
  othersCpu?: number | null;
  /** CPU milliseconds per request of the server's process and of PostgreSQL (see cpu.ts), when measured. */
  cpuPerRequest?: CpuPerRequest | null;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function summarize(latencies: number[], seconds: number, errors: Record<string, number>, bytes: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
  return {
    seconds: round(seconds, 2),
    requests: sorted.length,
    rps: round(sorted.length / seconds),
    p50: round(at(50), 2),
    p90: round(at(90), 2),
    p99: round(at(99), 2),
    max: round(sorted.at(-1) ?? NaN, 2),
    errors,
    bytes: sorted.length ? Math.round(bytes / sorted.length) : 0,
  };
}

const count = (errors: Record<string, number>, code: string, n = 1) => void (errors[code] = (errors[code] ?? 0) + n);

/**
 * Closed loop with autocannon, one instance per target, all at once for `seconds`. Latencies are the
 * time from each request's send to its answer, as autocannon measures them (hrtime), kept unrounded
 * here: autocannon's own histogram rounds to whole milliseconds. Every answer body is checked; errors
 * are counted by code, and their latencies are in the figures too.
 */
export async function closedLoop(targets: Target[], seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let bytes = 0;
  const started = performance.now();
  const results = await Promise.all(
    targets.map((target) => {
      const { body } = target;
      const instance = autocannon({
        url: target.url,
        connections: target.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: target.headers,
            ...(typeof body === 'string' ? { body } : { setupRequest: (r) => ({ ...r, body: body() }) }),
            onResponse: (status, text) => {
              bytes += Buffer.byteLength(text);
              const code = errorCode(status, text);
              if (code) count(errors, code);
            },
          },
        ],
      });
      instance.on('response', (_client, _status, _bytes, responseTime) => void latencies.push(responseTime));
      return instance;
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const result of results) if (result.errors + result.timeouts) count(errors, 'transport', result.errors + result.timeouts);
  return summarize(latencies, elapsed, errors, bytes);
}

/**
 * Open loop at a fixed rate: a request every 1000/rate ms whatever the answers do, on keep-alive
 * connections opened as needed. Latency counts from when the request was due, so a server that falls
 * behind shows it (no coordinated omission). autocannon's overallRate is not this: each connection sends
 * its share of the second back to back, then waits for the next second.
 */
export async function openLoop(target: Omit<Target, 'connections'>, rate: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(target.url);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let bytes = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const body = typeof target.body === 'string' ? target.body : target.body();
      const req = request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: target.headers, timeout: 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            const raw = Buffer.concat(chunks);
            bytes += raw.length;
            const text = raw.toString();
            const code = errorCode(res.statusCode ?? 0, text);
            if (code) count(errors, code);
            resolve();
          });
        },
      );
      req.on('error', () => {
        count(errors, 'transport');
        resolve();
      });
      req.end(body);
    });
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(due));
  }
  await Promise.all(pending);
  agent.destroy();
  return summarize(latencies, (performance.now() - started) / 1000, errors, bytes);
}

/** autocannon's own fixed rate (overallRate), for comparison with the open loop; whole-millisecond percentiles. */
export async function autocannonRate(
  target: Omit<Target, 'connections'>,
  rate: number,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    connections,
    overallRate: rate,
    duration: seconds,
    method: 'POST',
    headers: target.headers,
    body: typeof target.body === 'string' ? target.body : target.body(),
  });
  const errors: Record<string, number> = {};
  if (result.errors + result.timeouts) count(errors, 'transport', result.errors + result.timeouts);
  if (result.non2xx) count(errors, 'non-2xx', result.non2xx);
  return {
    seconds: result.duration,
    requests: result.requests.total,
    rps: round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p90: NaN,
    p99: result.latency.p99,
    max: result.latency.max,
    errors,
    bytes: 0,
  };
}
