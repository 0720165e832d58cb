import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { freePort } from '../scripts/stack';
import { runBench, withBenchStack } from './bench-stack';

/**
 * npm run bench:live — the subgraph's RSS with 10,000 idle subscriptions; then 1,000 graphql-ws
 * subscriptions over 100 designs under 200 edits per second for 30 s: latency from mutation
 * response (and from commit) to event arrival, events lost, RSS. Sizes can be lowered with BENCH_* variables for a quick look.
 */
const DESIGNS = Number(process.env.BENCH_DESIGNS ?? 100);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const EDITS_PER_SECOND = Number(process.env.BENCH_EDITS_PER_SECOND ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * A full garbage collection in the design subgraph, through its inspector (opened by SIGUSR1 on the
 * port NODE_OPTIONS names), so that heap figures count what is live rather than what is not yet collected.
 */
async function collectGarbage(inspectPort: number): Promise<void> {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).toString();
  const pid = Number(/^\s*(\d+) \S*node \S*dist\/src\/main\.js/m.exec(children)?.[1]);
  if (!pid) throw new Error('the design subgraph process was not found');
  process.kill(pid, 'SIGUSR1');
  let targets: { webSocketDebuggerUrl: string }[] | undefined;
  for (let attempt = 0; !targets; attempt++) {
    try {
      targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as typeof targets;
    } catch (error) {
      if (attempt === 50) throw error;
      await sleep(100);
    }
  }
  const inspector = new WebSocket(targets![0]!.webSocketDebuggerUrl);
  await once(inspector, 'open');
  const collected = new Promise<void>((resolve) =>
    inspector.on('message', (data) => {
      if ((JSON.parse(String(data)) as { id?: number }).id === 1) resolve();
    }),
  );
  inspector.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
  await collected;
  inspector.close();
}

async function main() {
  const inspectPort = await freePort();
  await withBenchStack(
    async (stack) => {
      const url = stack.urls.design;
      const memory = async () => {
        const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
        const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)![1]);
        return { rss: gauge('process_resident_memory_bytes'), heap: gauge('nodejs_heap_size_used_bytes') };
      };
      const rss = async () => (await memory()).rss;
      const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, randomUUID(), 'enterprise');
      const agentHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const call = async (query: string, variables: Record<string, unknown>) => {
        const body = (await (
          await fetch(url, { method: 'POST', headers: agentHeaders, body: JSON.stringify({ query, variables }) })
        ).json()) as { data?: any; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data;
      };
      const clients: Client[] = [];
      const connect = () => {
        const client = createClient({
          url: url.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
        });
        clients.push(client);
        return client;
      };

      try {
        const designs: { id: string; layerId: string; revision: number }[] = [];
        for (let i = 0; i < DESIGNS; i++) {
          const { createDesign } = await call(`mutation($n: String!) { createDesign(input: { name: $n }) { id } }`, { n: `bench ${i}` });
          const { addLayer } = await call(
            `mutation($d: ID!) { addLayer(designId: $d, input: { catalogItemId: "item-silhouette-t-shirt" }) { id design { revision } } }`,
            { d: createDesign.id },
          );
          designs.push({ id: createDesign.id, layerId: addLayer.id, revision: addLayer.design.revision });
        }
        // Idle sockets first, on a process that has not yet been through the load.
        const collected = async () => {
          await collectGarbage(inspectPort);
          return memory();
        };
        const idleBefore = await collected();
        let opened = 0;
        let idleErrors = 0;
        for (let i = 0; i < IDLE; i++) {
          const design = designs[i % designs.length]!;
          connect().subscribe(
            { query: `subscription($d: ID!) { designChanged(designId: $d) { revision } }`, variables: { d: design.id } },
            {
              next: () => undefined,
              error: (error) => {
                // Counted, not printed: a refused socket makes the figure below meaningless, and says so.
                if (idleErrors++ === 0) console.error('idle subscription error', (error as { reason?: string }).reason ?? error);
              },
              complete: () => undefined,
            },
          );
          opened += 1;
          // Paced: bursts of hundreds overflow the listen backlog on a loaded machine (SYN cookies, resets).
          if (i % 100 === 99) await sleep(100);
        }
        await sleep(5000);
        const idle = await collected();
        const perSubscription = (bytes: number) => `${(bytes / Math.max(1, opened - idleErrors) / 1024).toFixed(1)} KB`;
        console.log(
          `idle: ${opened} sockets with one subscription each (${idleErrors} refused): subgraph RSS ${mb(idle.rss)} (${mb(idleBefore.rss)} before them), ` +
            `${perSubscription(idle.rss - idleBefore.rss)} RSS and ${perSubscription(idle.heap - idleBefore.heap)} heap (after a full collection) per subscription (target < 10 KB)`,
        );
        // A client whose socket never opened rejects its dispose() with the connection's error.
        await Promise.allSettled(clients.splice(0).map(async (c) => c.dispose()));
        await sleep(2000);

        const rssBefore = await rss();

        // Each edit gives the layer a unique name: the event that carries it belongs to that edit.
        const arrivals = new Map<string, number[]>();
        const commitToArrival: number[] = [];
        let received = 0;
        let subscribed = 0;
        for (let i = 0; i < SUBSCRIBERS; i++) {
          const design = designs[i % designs.length]!;
          connect().subscribe<{ designChanged: { type: string; at: string; layer: { name: string } | null } }>(
            {
              query: `subscription($d: ID!, $a: Int) { designChanged(designId: $d, afterRevision: $a) { type at layer { name } } }`,
              variables: { d: design.id, a: design.revision },
            },
            {
              next: ({ data }) => {
                const event = data!.designChanged;
                if (event.type !== 'LAYER_UPDATED') return;
                received += 1;
                commitToArrival.push(Date.now() - Date.parse(event.at));
                const key = event.layer!.name;
                (arrivals.get(key) ?? arrivals.set(key, []).get(key)!).push(performance.now());
              },
              error: (error) => console.error('subscription error', error),
              complete: () => undefined,
            },
          );
          subscribed += 1;
        }
        await sleep(3000);
        const rssSubscribed = await rss();

        const responses = new Map<string, number>();
        let edits = 0;
        let failed = 0;
        const failures = new Map<string, number>();
        const started = performance.now();
        const batch = Math.max(1, Math.round(EDITS_PER_SECOND / 20));
        const pending: Promise<void>[] = [];
        while (performance.now() - started < SECONDS * 1000) {
          const tick = performance.now();
          for (let i = 0; i < batch; i++) {
            const design = designs[edits % designs.length]!;
            const name = `edit ${edits}`;
            edits += 1;
            pending.push(
              call(`mutation($id: ID!, $n: String!) { updateLayer(id: $id, input: { name: $n }) { id } }`, { id: design.layerId, n: name })
                .then(() => void responses.set(name, performance.now()))
                .catch((error: Error) => {
                  failed += 1;
                  const reason = error.message.slice(0, 160);
                  failures.set(reason, (failures.get(reason) ?? 0) + 1);
                }),
            );
          }
          await sleep(Math.max(0, 50 - (performance.now() - tick)));
        }
        await Promise.all(pending);
        const driveSeconds = (performance.now() - started) / 1000;
        await sleep(3000);
        const rssUnderLoad = await rss();

        const latencies: number[] = [];
        for (const [key, respondedAt] of responses) for (const at of arrivals.get(key) ?? []) latencies.push(at - respondedAt);
        latencies.sort((a, b) => a - b);
        commitToArrival.sort((a, b) => a - b);
        const expected = responses.size * (SUBSCRIBERS / DESIGNS);
        console.log(
          `live events: ${subscribed} subscriptions over ${DESIGNS} designs, ${edits} edits in ${driveSeconds.toFixed(1)} s (${(edits / driveSeconds).toFixed(0)}/s), ${failed} failed`,
        );
        for (const [reason, count] of failures) console.log(`  failed ${count}×: ${reason}`);
        console.log(
          `  latency from mutation response to event: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
        );
        console.log(
          `  latency from commit to event arrival: p50 ${percentile(commitToArrival, 50)} ms, p99 ${percentile(commitToArrival, 99)} ms, max ${commitToArrival.at(-1)} ms`,
        );
        console.log(`  events: expected ${expected}, received ${received}, lost ${expected - received}`);
        console.log(
          `  subgraph RSS: ${mb(rssBefore)} before subscribers, ${mb(rssSubscribed)} with ${subscribed}, ${mb(rssUnderLoad)} after the load`,
        );
      } finally {
        await Promise.allSettled(clients.map(async (c) => c.dispose()));
      }
    },
    // One user at hundreds of edits per second on purpose: rate limits would refuse most of them.
    // The same user holds every socket, so the per-user connection limit is lifted past the bench's count.
    {
      DATABASE_POOL_SIZE: '30',
      RATE_LIMITS: 'false',
      WS_MAX_CONNECTIONS_PER_USER: String(IDLE + SUBSCRIBERS + 100),
      // Where SIGUSR1 opens the inspector (of the design subgraph only: no other process gets the signal).
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect-port=127.0.0.1:${inspectPort}`.trim(),
    },
  );
}

runBench(main);
