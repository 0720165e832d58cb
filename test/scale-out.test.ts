import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import {
  addLayer,
  AVATAR_MALE,
  gql,
  graphql,
  makeDesign,
  makeUser,
  exportEnded,
  exportSmallImage,
  startDesignSubgraph,
  startWorkers,
  subscribe,
  type GraphQLResponse,
} from './helpers';

const UPDATE = graphql(`
  mutation ($id: ID!, $o: Int!) {
    updateLayer(id: $id, input: { opacity: $o }) {
      design {
        revision
      }
    }
  }
`);
const WATCH = graphql(`
  subscription ($d: ID!, $after: Int) {
    designChanged(designId: $d, afterRevision: $after) {
      type
      revision
    }
  }
`);
type Watched = GraphQLResponse<{ designChanged: { type: string; revision: number } }>;
const revisionsOf = (results: Watched[]) => results.map((r) => r.data!.designChanged.revision);

test('two replicas and two workers on one PostgreSQL and Redis: events in order on both, jobs run once, rate limits shared, a replica stopped loses nothing', async () => {
  const env = {
    REDIS_PREFIX: `${process.env.REDIS_PREFIX}scale-${randomUUID().slice(0, 8)}:`,
    RATE_LIMIT_MUTATIONS: '60',
    LOG_LEVEL: 'info',
  };
  const [a, b] = [await startDesignSubgraph(env), await startDesignSubgraph(env)];
  const workers = [await startWorkers(env), await startWorkers(env)];
  try {
    const owner = await makeUser('enterprise');
    const { id, revision } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const layer = await addLayer(owner, id);
    const layerAdded = revision + 1;
    // From the revision the layer made: an edit made before a socket is up comes from the replay.
    const onA = subscribe(a.url, owner, WATCH, { d: id, after: layerAdded });
    const onB = subscribe(b.url, owner, WATCH, { d: id, after: layerAdded });
    // Both subscriptions are live once each has seen an edit.
    await gql(owner, UPDATE, { id: layer.id, o: 1 }, a.url);
    await Promise.all([onA.waitFor(1), onB.waitFor(1)]);

    // Edits through either replica: each subscriber sees every revision, in order.
    const edits = 10;
    for (let i = 0; i < edits; i++) {
      const result = await gql(owner, UPDATE, { id: layer.id, o: 10 + i }, i % 2 ? a.url : b.url);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    }
    await Promise.all([onA.waitFor(edits + 1), onB.waitFor(edits + 1)]);
    const first = revisionsOf(onB.results as Watched[])[0]!;
    const expected = Array.from({ length: edits + 1 }, (_, i) => first + i);
    assert.deepEqual(revisionsOf(onA.results as Watched[]), expected);
    assert.deepEqual(revisionsOf(onB.results as Watched[]), expected);

    // Exports asked of either replica are made once, by one worker or the other.
    const exportIds: string[] = [];
    for (let i = 0; i < 4; i++) exportIds.push(await exportSmallImage(owner, id, i % 2 ? a.url : b.url));
    for (const exportId of exportIds) assert.equal(await exportEnded(owner, exportId, a.url), 'COMPLETED');
    const made = workers.flatMap((w) =>
      w
        .output()
        .split('\n')
        .filter((line) => line.includes('"job":"export-design"') && line.includes('export PNG of')),
    );
    // Counted by id: the workers' reconciler may also pick up an export another test file left queued in the shared database.
    for (const exportId of exportIds) {
      assert.equal(made.filter((line) => line.includes(`"id":"export-${exportId}-`)).length, 1, made.join('\n'));
    }

    // One replica stops (SIGTERM): its subscriber resumes on the other from the last revision it saw, and misses nothing.
    const lastOnA = revisionsOf(onA.results as Watched[]).at(-1)!;
    await a.stop();
    await onA.ended;
    for (let i = 0; i < 3; i++) await gql(owner, UPDATE, { id: layer.id, o: 50 + i }, b.url);
    const resumed = subscribe(b.url, owner, WATCH, { d: id, after: lastOnA });
    await resumed.waitFor(3);
    assert.deepEqual(revisionsOf(resumed.results as Watched[]), [lastOnA + 1, lastOnA + 2, lastOnA + 3]);

    // The mutation budget is one across replicas: 60 per window, spent through b and then a new a.
    const spender = await makeUser('enterprise');
    const design = await makeDesign(spender);
    const spent = await addLayer(spender, design.id);
    const again = await startDesignSubgraph(env);
    try {
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 70; i++) {
        const result = await gql(spender, UPDATE, { id: spent.id, o: i % 100 }, i % 2 ? again.url : b.url);
        codes.push(result.errors?.[0]?.extensions?.code);
      }
      assert.ok(codes.includes('RATE_LIMITED'), 'neither replica alone saw more than 35, yet the budget of 60 ran out');
    } finally {
      await again.stop();
    }
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await Promise.all([a.stop(), b.stop()]);
  }
});
