import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { freePort } from '../scripts/stack';
import {
  addLayer,
  gql,
  isAutosaved,
  makeDesign,
  makeUser,
  pollUntil,
  startDesignSubgraph,
  subscribe,
  graphql,
  type Subscription,
} from './helpers';

const CHANGED = graphql(`
  subscription ($d: ID!, $after: Int) {
    designChanged(designId: $d, afterRevision: $after) {
      type
      revision
      layer {
        opacity
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation ($id: ID!, $opacity: Int!) {
    updateLayer(id: $id, input: { opacity: $opacity }) {
      id
    }
  }
`);

/** A Redis of this test's own, so that it can be stopped without disturbing the other tests. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    if (
      await probe.connect().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  probe.disconnect();
  return child;
}

const stopRedis = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** A subscription opened again, 100 ms apart, while it is refused as SERVICE_UNAVAILABLE; the first one that is not. */
async function retryWhileUnavailable<T>(open: () => Subscription<T>): Promise<Subscription<T>> {
  for (let attempt = 1; ; attempt++) {
    const subscription = open();
    const first = await Promise.race([
      subscription.waitFor(1).then(
        () => 'result' as const,
        () => 'ended' as const,
      ),
      subscription.ended.then(() => 'ended' as const),
    ]);
    const refused = first === 'ended' || subscription.results[0]?.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE';
    if (!refused || attempt === 50) return subscription;
    await subscription.close();
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('live events while Redis is away (docs/collaboration.md R6)', () => {
  let port = 0;
  let redis: ChildProcess;
  let subgraph: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    port = await freePort();
    redis = await startRedis(port);
    subgraph = await startDesignSubgraph({ REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  after(async () => {
    await subgraph.stop();
    await stopRedis(redis);
  });

  test('[R6] with Redis down mutations still commit; afterwards a live subscriber and a reconnecting client get every missed change', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const live = subscribe(subgraph.url, owner, CHANGED, { d: id, after: 2 }, isAutosaved);
    await gql(owner, UPDATE, { id: layer.id, opacity: 1 }, subgraph.url);
    await live.waitFor(1);

    await stopRedis(redis);
    const started = Date.now();
    for (let opacity = 2; opacity <= 5; opacity++) {
      assert.equal((await gql(owner, UPDATE, { id: layer.id, opacity }, subgraph.url)).errors, undefined);
    }
    assert.ok(Date.now() - started < 5000, 'writes do not wait for Redis');

    redis = await startRedis(port);
    // Until the subgraph's subscriber connection is back, subscribing is a retryable SERVICE_UNAVAILABLE: retried as a client would.
    const reconnecting = await retryWhileUnavailable(() => subscribe(subgraph.url, owner, CHANGED, { d: id, after: 3 }, isAutosaved));
    await reconnecting.waitFor(4);
    assert.deepEqual(
      reconnecting.results.map((r) => r.data!.designChanged.revision),
      [4, 5, 6, 7],
    );

    // The first live event after Redis is back reveals the gap, which is filled from the change log.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await gql(owner, UPDATE, { id: layer.id, opacity: 6 }, subgraph.url)).errors, undefined);
    await live.waitFor(6, 15_000);
    assert.deepEqual(
      live.results.map((r) => r.data!.designChanged.layer!.opacity),
      [1, 2, 3, 4, 5, 6],
    );
    await Promise.all([live.close(), reconnecting.close()]);
  });

  test('an export or render asked while Redis is away ends FAILED with the reason, not QUEUED for ever; retryExport queues it once Redis is back', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await stopRedis(redis);
    const asked = await gql(
      owner,
      graphql(`
        mutation ($d: ID!) {
          exportDesign(designId: $d, input: { type: IMAGE, format: PNG }) {
            id
            status
          }
        }
      `),
      { d: id },
      subgraph.url,
    );
    const exportId = asked.data!.exportDesign.id as string;
    const exported = await pollUntil(
      async () =>
        (
          await gql(
            owner,
            graphql(`
              query ($e: ID!) {
                export(id: $e) {
                  status
                  error
                }
              }
            `),
            { e: exportId },
            subgraph.url,
          )
        ).data!.export,
      (e) => e!.status !== 'QUEUED',
      100,
      50,
    );
    assert.equal(exported!.status, 'FAILED');
    assert.match(exported!.error!, /^could not be queued: /);
    const render = await gql(
      owner,
      graphql(`
        mutation ($d: ID!) {
          requestRender(designId: $d, settings: { width: 32, height: 32 }) {
            status
            error
          }
        }
      `),
      { d: id },
      subgraph.url,
    );
    assert.equal(render.data!.requestRender.status, 'FAILED', 'a render nobody will make is not left QUEUED for equal requests to wait on');
    assert.match(render.data!.requestRender.error!, /^could not be queued: /);

    redis = await startRedis(port);
    await new Promise((r) => setTimeout(r, 1500));
    const retried = await gql(
      owner,
      graphql(`
        mutation ($e: ID!) {
          retryExport(id: $e) {
            status
            retryCount
          }
        }
      `),
      { e: exportId },
      subgraph.url,
    );
    assert.deepEqual(retried.data?.retryExport, { status: 'QUEUED', retryCount: 1 });
    const queue = new Redis({ port });
    assert.equal(
      await queue.exists(`${process.env.REDIS_PREFIX}bull:export-design:export-${exportId}-1`),
      1,
      "the retry's job is on the queue",
    );
    queue.disconnect();
  });

  test('subscribing and unsubscribing while Redis is away: a retryable SERVICE_UNAVAILABLE, and the process lives on', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await stopRedis(redis);
    try {
      const refused = subscribe(subgraph.url, owner, CHANGED, { d: id }, isAutosaved);
      await refused.ended;
      assert.equal(refused.results[0]?.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE');
      const left = subscribe(subgraph.url, owner, CHANGED, { d: id }, isAutosaved);
      await left.close();
      // The unhandled rejection that ended the process came about 1.5 s after the subscription.
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(subgraph.process.exitCode, null, 'the subgraph is still running');
      assert.equal((await fetch(subgraph.url.replace(/\/graphql$/, '/health'))).status, 200);
    } finally {
      redis = await startRedis(port);
    }
  });
});
