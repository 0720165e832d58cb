import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startDesignSubgraph, type GraphQLResponse } from '../helpers';
import { caseEnv, countBy, figures, ownDatabase, rssMb, send, sleep, spread, withScope } from './harness';

const ATTACK_MS = 8000;
const ATTACKERS = 4;
const SOME_ID = '00000000-0000-4000-8000-000000000000';
const DEEP = (root: string) => `${root} { design(id: "${SOME_ID}") { ${'forkedFrom { '.repeat(40)} id ${'} '.repeat(40)} } }`;
const ALIASES = (root: string, field: string) => `${root} { ${Array.from({ length: 1000 }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const TOKENS = `{ ${'__typename '.repeat(80_000)}}`;
const OVERSIZED = `{ "query": "{ __typename }", "padding": "${'x'.repeat(2 * 1024 * 1024)}" }`;

/** What an attack got back: an HTTP status with the error code, or how a socket ended. */
type Outcome = string;

async function overHttp(url: string, body: string): Promise<Outcome> {
  const answer = await send(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  if (answer.status === 413) return '413';
  const code = (JSON.parse(answer.body) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code;
  return `${answer.status} ${code ?? 'answered'}`;
}

/** One anonymous graphql-ws connection sending one message after connection_init. */
async function overWebSocket(url: string, message: string): Promise<Outcome> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  try {
    await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const outcome = new Promise<Outcome>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { type: string; payload?: { extensions?: { code?: string } }[] };
        resolve(reply.type === 'error' ? `error ${reply.payload?.[0]?.extensions?.code}` : reply.type);
      });
      socket.once('close', (code) => resolve(`close ${code}`));
      setTimeout(() => resolve('no answer within 5 s'), 5000).unref();
    });
    socket.send(message);
    return await outcome;
  } finally {
    socket.terminate();
  }
}

const subscribeMessage = (text: string) => JSON.stringify({ id: '1', type: 'subscribe', payload: { query: text } });

/** /health every 50 ms from a process of its own, so that the attackers' work does not delay the measure. */
function probeHealth(url: string) {
  const script = `
    const { get } = require('node:http');
    const once = () => new Promise((resolve) => {
      const started = performance.now();
      get(process.argv[1], { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode + ' ' + (performance.now() - started).toFixed(1))); })
        .on('error', (e) => resolve('error ' + (performance.now() - started).toFixed(1)));
    });
    (async () => { for (;;) { process.stdout.write((await once()) + '\\n'); await new Promise((r) => setTimeout(r, 50)); } })();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    stop() {
      child.kill();
      return output
        .trim()
        .split('\n')
        .map((line) => {
          const [status, ms] = line.split(' ');
          return { status: status!, ms: Number(ms) };
        });
    },
  };
}

test('an anonymous client sending oversized messages, deep queries and alias bombs over HTTP and graphql-ws: refused with codes, /health within 100 ms, memory bounded', async (t) => {
  await withScope(async (scope) => {
    const env = await caseEnv(scope, { databaseUrl: await ownDatabase(scope) });
    const subgraph = await startDesignSubgraph(env);
    scope.defer('stop the subgraph', () => subgraph.stop());
    const url = subgraph.url;
    const pid = subgraph.process.pid!;

    const attacks: Record<string, [expected: Outcome, run: () => Promise<Outcome>]> = {
      'http oversized body': ['413', () => overHttp(url, OVERSIZED)],
      'http deep query': ['400 QUERY_TOO_COMPLEX', () => overHttp(url, JSON.stringify({ query: DEEP('query') }))],
      'http alias bomb': [
        '400 QUERY_TOO_COMPLEX',
        () => overHttp(url, JSON.stringify({ query: ALIASES('query', 'designs(first: 100) { totalCount }') })),
      ],
      'http token bomb': ['400 QUERY_TOO_COMPLEX', () => overHttp(url, JSON.stringify({ query: TOKENS }))],
      'ws oversized message': [
        'close 1009',
        () => overWebSocket(url, subscribeMessage(`subscription {${' '.repeat(2 * 1024 * 1024)} __typename }`)),
      ],
      // graphql-ws runs queries too, under the same limits.
      'ws deep query': ['error QUERY_TOO_COMPLEX', () => overWebSocket(url, subscribeMessage(DEEP('query')))],
      'ws alias bomb': [
        'error QUERY_TOO_COMPLEX',
        () => overWebSocket(url, subscribeMessage(ALIASES('subscription', `designChanged(designId: "${SOME_ID}") { revision }`))),
      ],
    };
    const kinds = Object.keys(attacks);

    await sleep(500);
    const rssBefore = rssMb(pid);
    const health = probeHealth(url.replace(/\/graphql$/, '/health'));
    const rss: number[] = [];
    const outcomes: { kind: string; outcome: Outcome }[] = [];
    const until = performance.now() + ATTACK_MS;
    const sampler = setInterval(() => rss.push(rssMb(pid)), 100);
    try {
      await Promise.all(
        Array.from({ length: ATTACKERS }, async (_, attacker) => {
          for (let n = attacker; performance.now() < until; n++) {
            const kind = kinds[n % kinds.length]!;
            const outcome = await attacks[kind]![1]().catch((error: Error) => `failed: ${error.message}`);
            outcomes.push({ kind, outcome });
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    await sleep(300);
    const probes = health.stop();
    const rssAfter = rssMb(pid);

    const unexpected = outcomes.filter(({ kind, outcome }) => outcome !== attacks[kind]![0]);
    const healthMs = spread(probes.map((p) => p.ms));
    figures(t, 'hostile-client', {
      attacks: outcomes.length,
      byKind: countBy(outcomes.map((o) => `${o.kind} -> ${o.outcome}`)),
      unexpected: unexpected.length,
      healthProbes: healthMs.n,
      healthNot200: probes.filter((p) => p.status !== '200').length,
      healthMs,
      rssMb: { before: rssBefore, peak: Math.max(...rss), after: rssAfter },
    });
    assert.deepEqual(unexpected.slice(0, 5), [], 'every attack refused with its code');
    assert.equal(subgraph.process.exitCode, null);
    assert.ok(probes.length > 50 && probes.every((p) => p.status === '200'), '/health answered throughout');
    // Measured from a process of its own, on two cores the subgraph shares with the attackers.
    assert.ok(healthMs.p95 < 100 && healthMs.max < 1000, `/health within 100 ms (p95 ${healthMs.p95} ms, at most ${healthMs.max} ms)`);
    // Garbage the attacks leave behind grows the heap for a while; 40 s of them stayed between 200 and 350 MB.
    assert.ok(Math.max(...rss) < 512, `memory bounded (RSS ${rssBefore} MB before, ${Math.max(...rss)} MB at most)`);
  });
});
