import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { deleteKeys, dropDatabase, ensureDatabase, withDatabase } from '../../scripts/services';
import { freePort } from '../../scripts/stack';

/** What npm run test:faults (scripts/run-faults.ts) gives every case. */
const BASE_DATABASE_URL = process.env.FAULTS_DATABASE_URL!;
export const SHARED_REDIS_URL = process.env.REDIS_URL!;

/** Everything a case started or made, undone at its end whether it passed or not. */
export interface Scope {
  /** `undo` runs at the end, before whatever was deferred earlier; a failure is reported, not thrown. */
  defer(what: string, undo: () => unknown): void;
}

export async function withScope<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
  const undos: [string, () => unknown][] = [];
  try {
    return await work({ defer: (what, undo) => void undos.push([what, undo]) });
  } finally {
    for (const [what, undo] of undos.reverse()) {
      await Promise.resolve()
        .then(undo)
        .catch((error: Error) => process.stderr.write(`could not ${what}: ${error.message}\n`));
    }
  }
}

const runId = () => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

/** A database of the case's own on the shared PostgreSQL, dropped at the end. */
export async function ownDatabase(scope: Scope): Promise<string> {
  const url = withDatabase(BASE_DATABASE_URL, `design_fault_${runId()}`);
  await ensureDatabase(url);
  scope.defer('drop the case database', () => dropDatabase(url));
  return url;
}

/** A key prefix of the case's own on the shared Redis, its keys deleted at the end. */
export function ownPrefix(scope: Scope, redisUrl = SHARED_REDIS_URL): string {
  const prefix = `design-fault-${runId()}:`;
  scope.defer("delete the case's Redis keys", () => deleteKeys(redisUrl, prefix));
  return prefix;
}

/**
 * The environment of a case's subgraphs and workers: its database and Redis, its own files and temp
 * folder, and avatar and catalog subgraphs at a port nothing listens on (the cases use no avatar and
 * no catalog item; reading one would fail at once with UPSTREAM_UNAVAILABLE).
 */
export async function caseEnv(
  scope: Scope,
  services: { databaseUrl: string; redisUrl?: string; redisPrefix?: string },
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const scratch = join(process.env.FAULTS_SCRATCH!, runId());
  mkdirSync(join(scratch, 'tmp'), { recursive: true });
  scope.defer('remove the case folder', () => rmSync(scratch, { recursive: true, force: true }));
  const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
  const redisUrl = services.redisUrl ?? SHARED_REDIS_URL;
  return {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: services.redisPrefix ?? ownPrefix(scope, redisUrl),
    AVATAR_SUBGRAPH_URL: nowhere,
    CATALOG_SUBGRAPH_URL: nowhere,
    FILES_DIR: join(scratch, 'files'),
    TMPDIR: join(scratch, 'tmp'),
    // The cases are loads of a few users at hundreds of requests a second on purpose (test/rate-limits.test.ts tests the limits).
    RATE_LIMITS: 'false',
    ...extra,
  };
}

/** A process's resident memory, from /proc. */
export function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Count, median, 95th percentile and maximum, rounded. */
export function spread(values: number[]): { n: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: Math.round(sorted[sorted.length - 1] ?? NaN) };
}

/** How many times each value occurs. */
export function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The case's figures, printed under it by the test runner as `name: key=value …`. */
export function figures(t: TestContext, name: string, values: Record<string, unknown>): void {
  const text = Object.entries(values)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
  t.diagnostic(`${name}: ${text}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/**
 * One HTTP request on a connection of its own (no keep-alive): a server that closes idle kept-alive
 * connections on shutdown can then never cut a request it did not take.
 */
export function send(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A GraphQL operation over `send`, with a bearer token when given. */
export function sendGraphQL(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return send(url, {
    method: 'POST',
    body: JSON.stringify({ query, variables }),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}
