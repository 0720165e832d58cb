import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
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
import { startPrivateRedis, type PrivateRedis } from './private-redis';

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

/**
 * What a client does after a SERVICE_UNAVAILABLE: subscribe again. Refused until the subgraph's own
 * connection to Redis is back, which may be a moment after Redis itself.
 */
async function subscribeOnceBack<T>(open: () => Subscription<T>): Promise<Subscription<T>> {
  for (let attempt = 1; ; attempt++) {
    const subscription = open();
    await subscription.waitFor(1).catch(() => undefined);
    if (subscription.results[0]?.errors?.[0]?.extensions?.retryable !== true || attempt === 50) return subscription;
    await subscription.close();
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('live events while Redis is away (docs/collaboration.md R6)', () => {
  let redis: PrivateRedis;
  let subgraph: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    redis = await startPrivateRedis();
    subgraph = await startDesignSubgraph({ REDIS_URL: redis.url });
  });
  after(async () => {
    await subgraph.stop();
    await redis.stop();
  });

  test('[R6] with Redis down mutations still commit; afterwards a live subscriber and a reconnecting client get every missed change', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const live = subscribe(subgraph.url, owner, CHANGED, { d: id, after: 2 }, isAutosaved);
    await gql(owner, UPDATE, { id: layer.id, opacity: 1 }, subgraph.url);
    await live.waitFor(1);

    await redis.stop();
    const started = Date.now();
    for (let opacity = 2; opacity <= 5; opacity++) {
      assert.equal((await gql(owner, UPDATE, { id: layer.id, opacity }, subgraph.url)).errors, undefined);
    }
    assert.ok(Date.now() - started < 5000, 'writes do not wait for Redis');

    await redis.start();
    const reconnecting = await subscribeOnceBack(() => subscribe(subgraph.url, owner, CHANGED, { d: id, after: 3 }, isAutosaved));
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
    await redis.stop();
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

    await redis.start();
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
    const queue = new Redis(redis.url);
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
    await redis.stop();
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
      await redis.start();
    }
  });
});
