import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gql, graphql, makeUser, startDesignSubgraph, subscribe, type TestUser } from '../helpers';
import { startPrivateRedis } from '../private-redis';
import { caseEnv, countBy, figures, ownDatabase, send, sleep, withScope } from './harness';

const DESIGNS = 5;
const FOLLOWERS_PER_DESIGN = 2;
const OUTAGE_MS = 3000;
const CREATE = graphql(`
  mutation ($name: String!) {
    createDesign(input: { name: $name }) {
      id
      revision
    }
  }
`);
const UPDATE = graphql(`
  mutation ($id: ID!, $name: String!) {
    updateDesign(id: $id, input: { name: $name }) {
      revision
    }
  }
`);
const CHANGED = graphql(`
  subscription ($d: ID!, $after: Int) {
    designChanged(designId: $d, afterRevision: $after) {
      revision
    }
  }
`);

/**
 * A client following one design: whenever its subscription ends or is refused, it subscribes again
 * with `afterRevision` set to the last revision it got, as the README tells clients to.
 */
function follow(url: string, user: TestUser, designId: string, from: number) {
  const revisions: number[] = [];
  let last = from;
  let resubscriptions = 0;
  let stopped = false;
  let dropping = false;
  const done = (async () => {
    while (!stopped) {
      const subscription = subscribe(url, user, CHANGED, { d: designId, after: last });
      let over = false;
      void subscription.ended.then(() => (over = true));
      let read = 0;
      while (!stopped && !over && !dropping) {
        const result = subscription.results[read];
        if (!result) {
          await sleep(20);
          continue;
        }
        read += 1;
        if (result.errors) break;
        last = result.data!.designChanged.revision;
        revisions.push(last);
      }
      await subscription.close();
      dropping = false;
      if (stopped) return;
      resubscriptions += 1;
      await sleep(200);
    }
  })();
  return {
    revisions,
    resubscriptions: () => resubscriptions,
    /** Its connection drops, as a phone's does going into a tunnel: it subscribes again at once. */
    drop() {
      dropping = true;
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

test('a private Redis restarted under live subscriptions and edits, with subscribing and unsubscribing while it is down: the process lives, writes commit, followers miss nothing', async (t) => {
  await withScope(async (scope) => {
    const redis = await startPrivateRedis();
    scope.defer('stop the private Redis', () => redis.stop());
    const env = await caseEnv(scope, { databaseUrl: await ownDatabase(scope), redisUrl: redis.url });
    const subgraph = await startDesignSubgraph(env);
    scope.defer('stop the subgraph', () => subgraph.stop());
    const root = subgraph.url.replace(/\/graphql$/, '');
    const owner = await makeUser();
    const designs = await Promise.all(
      Array.from({ length: DESIGNS }, async (_, i) => (await gql(owner, CREATE, { name: `Design ${i}` }, subgraph.url)).data!.createDesign),
    );
    const followers = designs.flatMap((design) =>
      Array.from({ length: FOLLOWERS_PER_DESIGN }, () => ({
        design: design.id,
        ...follow(subgraph.url, owner, design.id, design.revision),
      })),
    );

    let writing = true;
    let redisDown = false;
    const writes: { duringOutage: boolean; ok: boolean; revision?: number; design: string }[] = [];
    const writers = designs.map(async (design) => {
      for (let n = 0; writing; n++) {
        const duringOutage = redisDown;
        const result = await gql(owner, UPDATE, { id: design.id, name: `edit ${n}` }, subgraph.url);
        writes.push({ duringOutage, ok: !result.errors, revision: result.data?.updateDesign.revision, design: design.id });
        await sleep(30);
      }
    });

    let subscribeCodes: Record<string, number> = {};
    try {
      await sleep(1500);
      await redis.stop();
      redisDown = true;
      followers.filter((_, i) => i % FOLLOWERS_PER_DESIGN === 0).forEach((f) => f.drop());
      const downAt = performance.now();
      // New subscriptions while Redis is away: refused, retryable. Others opened and closed at once.
      const tried = Array.from({ length: 10 }, (_, i) => subscribe(subgraph.url, owner, CHANGED, { d: designs[i % DESIGNS]!.id }));
      const leaving = Array.from({ length: 10 }, (_, i) => subscribe(subgraph.url, owner, CHANGED, { d: designs[i % DESIGNS]!.id }));
      await Promise.all(leaving.map((s) => s.close()));
      await Promise.all(tried.map((s) => s.ended));
      subscribeCodes = countBy(tried.map((s) => String(s.results[0]?.errors?.[0]?.extensions?.code ?? 'subscribed')));
      await sleep(Math.max(0, OUTAGE_MS - (performance.now() - downAt)));
      await redis.start();
      redisDown = false;
      await sleep(2000);
    } finally {
      writing = false;
    }
    await Promise.all(writers);

    // Every follower gets to its design's last revision, by its open subscription or by subscribing again.
    const finalRevision = new Map(
      designs.map((d) => [d.id, Math.max(d.revision, ...writes.filter((w) => w.design === d.id && w.ok).map((w) => w.revision!))]),
    );
    const caughtUpAt = performance.now();
    const caughtUp = () => followers.every((f) => f.revisions.at(-1) === finalRevision.get(f.design));
    for (let i = 0; i < 150 && !caughtUp(); i++) await sleep(100);
    const catchUpMs = Math.round(performance.now() - caughtUpAt);
    await Promise.all(followers.map((f) => f.stop()));

    const start = new Map(designs.map((d) => [d.id, d.revision]));
    const expected = (design: string) =>
      Array.from({ length: finalRevision.get(design)! - start.get(design)! }, (_, i) => start.get(design)! + 1 + i);
    const incomplete = followers.filter((f) => f.revisions.join() !== expected(f.design).join());
    const health = await send(`${root}/health`);
    figures(t, 'redis-restart', {
      writes: writes.length,
      writesDuringOutage: writes.filter((w) => w.duringOutage).length,
      failedWrites: writes.filter((w) => !w.ok).length,
      subscribesWhileDown: subscribeCodes,
      followers: followers.length,
      eventsDelivered: followers.reduce((n, f) => n + f.revisions.length, 0),
      followersDropped: followers.length / FOLLOWERS_PER_DESIGN,
      resubscriptions: followers.reduce((n, f) => n + f.resubscriptions(), 0),
      catchUpAfterWritesMs: catchUpMs,
      followersMissingOrRepeating: incomplete.length,
      subgraphExitCode: subgraph.process.exitCode,
    });
    assert.equal(subgraph.process.exitCode, null, 'the subgraph lives');
    assert.equal(health.status, 200);
    assert.ok(writes.filter((w) => w.duringOutage).length > 10, 'writes went on while Redis was down');
    assert.deepEqual(
      writes.filter((w) => !w.ok),
      [],
      'every write committed',
    );
    assert.deepEqual(subscribeCodes, { SERVICE_UNAVAILABLE: 10 }, 'subscribing while Redis is away: refused, retryable');
    assert.ok(
      followers.filter((_, i) => i % FOLLOWERS_PER_DESIGN === 0).every((f) => f.resubscriptions() > 1),
      'the dropped followers were refused while Redis was down, and subscribed again',
    );
    assert.deepEqual(
      incomplete.map((f) => ({ design: f.design, got: f.revisions.join(), want: expected(f.design).join() })),
      [],
      'every follower got every revision once, in order',
    );
  });
});
