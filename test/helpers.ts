import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'node:test';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from '../scripts/stack';
import { Client } from 'pg';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { GATEWAY_SECRET_HEADER } from '../src/http/gateway-only';
import { type Tier } from '../src/domain/tier';
import { initGraphQLTada, type TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';
import type { introspection } from './graphql-env';

// Unset in the fault suite (npm run test:faults), whose cases start subgraphs of their own and pass their URLs.
export const DESIGN_URL = process.env.TEST_DESIGN_URL ?? '';
export const GATEWAY_URL = process.env.TEST_GATEWAY_URL!;
export const ROOT_URL = DESIGN_URL.replace(/\/graphql$/, '');

/**
 * Operations typed against schema/design.graphql: `graphql(\`query { … }\`)` gives the result type
 * of exactly the fields selected, so a test that reads a field it did not ask for does not compile.
 * test/graphql-env.d.ts is generated from the schema (`npm run emit-schema`).
 */
export const graphql = initGraphQLTada<{ introspection: introspection; scalars: { DateTime: string; JSON: unknown } }>();

/**
 * A typed operation, or a plain text whose result type the caller names (texts built at run time,
 * and the federation fields the subgraph schema file does not hold).
 */
export type Operation<T> = TadaDocumentNode<T, never> | string;

const texts = new WeakMap<object, string>();
const textOf = (operation: Operation<unknown>) => {
  if (typeof operation === 'string') return operation;
  let text = texts.get(operation);
  if (text === undefined) texts.set(operation, (text = print(operation)));
  return text;
};

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface GraphQLResponse<T> {
  data?: T;
  errors?: GraphQLError[];
}

export interface TestUser {
  id: string;
  tier: Tier;
  token: string;
}

export async function makeUser(tier: Tier = 'pro'): Promise<TestUser> {
  const id = randomUUID();
  return { id, tier, token: await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, id, tier) };
}

export async function gql<T = unknown>(
  user: TestUser | null | string,
  query: Operation<T>,
  variables: Record<string, unknown> = {},
  url = DESIGN_URL,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const token = typeof user === 'string' ? user : user?.token;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query: textOf(query), variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a call that must succeed; throws with the errors otherwise. */
export async function ok<T = unknown>(user: TestUser | null, query: Operation<T>, variables: Record<string, unknown> = {}): Promise<T> {
  return dataOf(await gql<T>(user, query, variables));
}

/** As `ok`, for `_entities` and `_service`: sent as the gateway sends them, with its secret. */
export async function okAsGateway<T>(user: TestUser | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return dataOf(await gql<T>(user, query, variables, DESIGN_URL, { [GATEWAY_SECRET_HEADER]: process.env.GATEWAY_SECRET! }));
}

function dataOf<T>(result: GraphQLResponse<T>): T {
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** The error code of a call that must fail. */
export async function errorCode(
  user: TestUser | null,
  query: Operation<unknown>,
  variables: Record<string, unknown> = {},
): Promise<string | undefined> {
  const result = await gql(user, query, variables);
  return result.errors?.[0]?.extensions?.code;
}

export const AVATAR_FEMALE = 'avatar-female-standard';
export const AVATAR_MALE = 'avatar-male-standard';
export const ITEM = {
  tshirt: 'item-silhouette-t-shirt',
  trousers: 'item-silhouette-trousers',
  skirt: 'item-silhouette-a-line-skirt',
  puffer: 'item-silhouette-puffer',
  denim: 'item-fabric-denim',
  cap: 'item-accessory-cap',
  belt: 'item-element-belt',
};

export async function makeDesign(owner: TestUser, input: Record<string, unknown> = {}) {
  const data = await ok(
    owner,
    graphql(`
      mutation ($input: CreateDesignInput!) {
        createDesign(input: $input) {
          id
          revision
        }
      }
    `),
    {
      input: { name: `Design ${randomUUID().slice(0, 8)}`, ...input },
    },
  );
  return data.createDesign as { id: string; revision: number };
}

export async function addLayer(user: TestUser, designId: string, input: Record<string, unknown> = {}) {
  const data = await ok(
    user,
    graphql(`
      mutation ($designId: ID!, $input: AddLayerInput!) {
        addLayer(designId: $designId, input: $input) {
          id
          order
        }
      }
    `),
    {
      designId,
      input: { catalogItemId: ITEM.tshirt, ...input },
    },
  );
  return data.addLayer as { id: string; order: number };
}

export async function share(owner: TestUser, designId: string, user: TestUser, role: string) {
  await ok(
    owner,
    graphql(`
      mutation ($d: ID!, $u: ID!, $r: CollaboratorRole!) {
        addCollaborator(designId: $d, userId: $u, role: $r) {
          role
        }
      }
    `),
    {
      d: designId,
      u: user.id,
      r: role,
    },
  );
}

/** A small PNG export of the design, asked of the subgraph at `url`; the export's id. */
export async function exportSmallImage(user: TestUser, designId: string, url = DESIGN_URL): Promise<string> {
  const started = await gql(
    user,
    graphql(`
      mutation ($d: ID!) {
        exportDesign(designId: $d, input: { type: IMAGE, format: PNG, image: { width: 24, height: 24 } }) {
          id
        }
      }
    `),
    { d: designId },
    url,
  );
  if (!started.data) throw new Error(JSON.stringify(started.errors));
  return started.data.exportDesign.id;
}

/** The export's status once it has ended (COMPLETED or FAILED), or the last one read. */
export async function exportEnded(user: TestUser, exportId: string, url = DESIGN_URL): Promise<string | undefined> {
  const STATUS = graphql(`
    query ($id: ID!) {
      export(id: $id) {
        status
      }
    }
  `);
  const last = await pollUntil(
    async () => (await gql(user, STATUS, { id: exportId }, url)).data?.export,
    (e) => e?.status === 'COMPLETED' || e?.status === 'FAILED',
    300,
  );
  return last?.status;
}

/** Reads until `done` holds or `attempts` reads were made: the last value read, for the test to assert on. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 100, intervalMs = 100): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}

/** Whether the snapshot store (PostgreSQL in the tests) still holds a state under `id`, after waiting up to 1 s for it to go. */
export async function snapshotKept(id: string): Promise<boolean> {
  const count = () =>
    withDb(async (db) => (await db.query('SELECT count(*)::int AS n FROM design_snapshots WHERE id = $1', [id])).rows[0].n as number);
  return (await pollUntil(count, (n) => n === 0, 20, 50)) > 0;
}

export async function withDb<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** The value of one sample in a Prometheus text exposition (labels in any order), or undefined. */
export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** The subgraph's /metrics (or another process's, by URL) as text. */
export async function scrape(url = `${ROOT_URL}/metrics`): Promise<string> {
  return (await fetch(url)).text();
}

export async function sqlStatementsSoFar(): Promise<number> {
  return sampleOf(await scrape(), 'design_sql_statements_total')!;
}

const subgraphAt = (port: string | undefined) => `http://127.0.0.1:${port}/graphql`;

/**
 * The development avatar, catalog and users subgraphs of the stack under test, for processes a test
 * starts; none in the fault suite, which has no stack (the processes' defaults stand).
 */
const UPSTREAM_ENV: Record<string, string> = Object.fromEntries(
  Object.entries({
    AVATAR_SUBGRAPH_URL: process.env.TEST_AVATAR_PORT,
    CATALOG_SUBGRAPH_URL: process.env.TEST_CATALOG_PORT,
    USERS_SUBGRAPH_URL: process.env.TEST_USERS_PORT,
  })
    .filter(([, port]) => port)
    .map(([name, port]) => [name, subgraphAt(port)]),
);

/**
 * The stack's catalog subgraph behind a proxy the test steers: answers can be delayed, and their
 * `_entities` changed on the way back.
 */
export async function startCatalogProxy(steer: { delayMs?: number; change?: (entity: Record<string, unknown>) => void }) {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (steer.delayMs) await new Promise((r) => setTimeout(r, steer.delayMs));
    const upstream = await fetch(subgraphAt(process.env.TEST_CATALOG_PORT), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const result = (await upstream.json()) as { data?: { _entities?: (Record<string, unknown> | null)[] } };
    for (const entity of result.data?._entities ?? []) if (entity) steer.change?.(entity);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The last `max` characters a child process wrote to stdout and stderr, for a failed test to show. */
function keepOutput(child: ChildProcess, max = 64 * 1024): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-max);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

/**
 * Another design subgraph process on the test database, e.g. a second replica or one with a different
 * upstream; on `env.PORT` when given (a test that restarts it on the same address), else a free port.
 */
export async function startDesignSubgraph(
  env: Record<string, string> = {},
): Promise<{ url: string; process: ChildProcess; output(): string; stop(): Promise<void> }> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, ...UPSTREAM_ENV, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepOutput(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, process: child, output, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`design subgraph on port ${port} did not start:\n${output()}`);
}

/**
 * A worker process of the test's own, in a process group of its own so that `kill` takes its
 * browser down with it, as a machine that dies would.
 */
export async function startWorkers(env: Record<string, string>): Promise<{
  pid: number;
  output(): string;
  /** How the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'workers', 'main.js')], {
    env: { ...process.env, ...UPSTREAM_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  // Node's own reports (an unhandled rejection) go to stderr.
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`workers exited (${code}) before they were ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers ready')) resolve();
    });
  });
  return {
    pid: child.pid!,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      await exited;
    },
  };
}

export interface Subscription<T> {
  /** Every `next` payload so far. */
  results: GraphQLResponse<T>[];
  /** Resolves once at least n results arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the error or completion that ended the subscription. */
  ended: Promise<{ error?: unknown }>;
  close(): Promise<void>;
}

/** Subscriptions not yet closed: each is closed after the test that opened it, whether it passed or not. */
const openSubscriptions = new Set<Subscription<unknown>>();
afterEach(async () => {
  await Promise.all([...openSubscriptions].map((subscription) => subscription.close()));
});

/** A graphql-ws subscription as a client would open it; results for which `ignore` is true are dropped. */
export function subscribe<T = unknown>(
  url: string,
  user: TestUser | null,
  query: Operation<T>,
  variables: Record<string, unknown> = {},
  ignore: (result: GraphQLResponse<T>) => boolean = () => false,
): Subscription<T> {
  const client: WsClient = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: user ? { authorization: `Bearer ${user.token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  // Whether a socket is open, so that close() can wait for its closing handshake to end.
  let socketClosed: Promise<void> | null = null;
  client.on('opened', () => {
    socketClosed = new Promise((resolve) => client.on('closed', () => resolve()));
  });
  const results: Subscription<T>['results'] = [];
  const waiters: (() => void)[] = [];
  const ended = new Promise<{ error?: unknown }>((resolve) => {
    client.subscribe<T>(
      { query: textOf(query), variables },
      {
        next: (value) => {
          const result = value as GraphQLResponse<T>;
          if (ignore(result)) return;
          results.push(result);
          waiters.splice(0).forEach((w) => w());
        },
        error: (error) => {
          resolve({ error });
          waiters.splice(0).forEach((w) => w());
        },
        complete: () => {
          resolve({});
          waiters.splice(0).forEach((w) => w());
        },
      },
    );
  });
  let done: { error?: unknown } | null = null;
  void ended.then((end) => (done = end));
  const subscription: Subscription<T> = {
    results,
    ended,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < n) {
        if (done)
          throw new Error(
            `subscription ended after ${results.length} of ${n} results (last: ${JSON.stringify(results.at(-1))}): ${JSON.stringify(done.error ?? 'complete')}`,
          );
        if (Date.now() > deadline) throw new Error(`only ${results.length} of ${n} results after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    async close() {
      openSubscriptions.delete(subscription);
      await client.dispose();
      await socketClosed;
    },
  };
  openSubscriptions.add(subscription);
  return subscription;
}

/** Autosaves happen on their own schedule (1 s in tests): tests of change events leave them out. */
export const isAutosaved = (result: GraphQLResponse<{ designChanged?: { type?: string } }>) =>
  result.data?.designChanged?.type === 'AUTOSAVED';
