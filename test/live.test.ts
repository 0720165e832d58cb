import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  addLayer,
  DESIGN_URL,
  GATEWAY_URL,
  gql,
  isAutosaved,
  makeDesign,
  makeUser,
  ok,
  share,
  startDesignSubgraph,
  subscribe,
  graphql,
  type GraphQLError,
  type GraphQLResponse,
} from './helpers';

const CHANGED = graphql(`
  subscription ($d: ID!, $after: Int) {
    designChanged(designId: $d, afterRevision: $after) {
      designId
      type
      revision
      actor {
        id
      }
      at
      layer {
        id
        opacity
      }
      layerId
      layerIds
      canvas {
        showGrid
      }
      design {
        name
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

const revisions = (sub: { results: GraphQLResponse<{ designChanged: { revision: number } }>[] }) =>
  sub.results.map((r) => r.data?.designChanged.revision);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('live events (docs/collaboration.md)', () => {
  let second: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    second = await startDesignSubgraph();
  });
  after(async () => {
    await second.stop();
  });

  test('[R1] a subscriber on one replica receives changes made through another, in revision order, with the state at that revision', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const sub = subscribe(second.url, owner, CHANGED, { d: id, after: 2 }, isAutosaved);
    for (let i = 1; i <= 10; i++) await ok(owner, UPDATE, { id: layer.id, opacity: i });
    await sub.waitFor(10);
    assert.deepEqual(revisions(sub), range(3, 12));
    const events = sub.results.map((r) => r.data!.designChanged);
    assert.deepEqual(
      events.map((e) => e.layer!.opacity),
      range(1, 10),
    );
    assert.ok(events.every((e) => e.type === 'LAYER_UPDATED' && e.actor!.id === owner.id && e.designId === id));
    await sub.close();
  });

  test('[R2] reconnecting with afterRevision replays exactly the missed changes, then goes live', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    for (let i = 0; i < 7; i++) await ok(owner, UPDATE, { id: layer.id, opacity: 50 + i });
    const sub = subscribe(DESIGN_URL, owner, CHANGED, { d: id, after: 2 }, isAutosaved);
    await sub.waitFor(7);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          updateCanvasSettings(designId: $d, input: { showGrid: false }) {
            showGrid
          }
        }
      `),
      { d: id },
    );
    await sub.waitFor(8);
    assert.deepEqual(revisions(sub), range(3, 10));
    assert.equal(sub.results[7]!.data!.designChanged.type, 'CANVAS_UPDATED');
    assert.equal(sub.results[7]!.data!.designChanged.canvas!.showGrid, false);
    await sub.close();
  });

  test('[R3] changes that commit during the replay arrive once each, with no gap', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const writes = Promise.all(range(1, 60).map((i) => gql(owner, UPDATE, { id: layer.id, opacity: i % 100 })));
    const subs = [
      subscribe(DESIGN_URL, owner, CHANGED, { d: id, after: 0 }, isAutosaved),
      subscribe(second.url, owner, CHANGED, { d: id, after: 1 }, isAutosaved),
    ];
    await writes;
    await subs[0]!.waitFor(62);
    await subs[1]!.waitFor(61);
    assert.deepEqual(revisions(subs[0]!), range(1, 62));
    assert.deepEqual(revisions(subs[1]!), range(2, 62));
    await Promise.all(subs.map((s) => s.close()));
  });

  test('[R4] events of every kind carry their payload: added, removed, reordered layers and design changes', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const sub = subscribe(DESIGN_URL, owner, CHANGED, { d: id, after: 1 }, isAutosaved);
    const a = await addLayer(owner, id);
    const b = await addLayer(owner, id);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $ids: [ID!]!) {
          reorderLayers(designId: $d, layerIds: $ids) {
            id
          }
        }
      `),
      { d: id, ids: [b.id, a.id] },
    );
    await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          removeLayer(id: $id) {
            id
          }
        }
      `),
      { id: a.id },
    );
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          updateDesign(id: $d, input: { name: "Renamed" }) {
            id
          }
        }
      `),
      { d: id },
    );
    await sub.waitFor(5);
    const events = sub.results.map((r) => r.data!.designChanged);
    assert.deepEqual(
      events.map((e) => e.type),
      ['LAYER_ADDED', 'LAYER_ADDED', 'LAYERS_REORDERED', 'LAYER_REMOVED', 'DESIGN_UPDATED'],
    );
    assert.equal(events[0].layer!.id, a.id);
    assert.deepEqual(events[2].layerIds, [b.id, a.id]);
    assert.equal(events[3].layerId, a.id);
    assert.equal(events[4].design!.name, 'Renamed');
    await sub.close();
  });

  test('[A1] a collaborator who is removed stops receiving: the subscription ends with NOT_FOUND', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, editor, 'EDITOR');
    const sub = subscribe(second.url, editor, CHANGED, { d: id, after: 2 }, isAutosaved);
    await addLayer(owner, id);
    await sub.waitFor(1);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          removeCollaborator(designId: $d, userId: $u)
        }
      `),
      { d: id, u: editor.id },
    );
    await addLayer(owner, id);
    const { error } = await sub.ended;
    assert.equal((error as GraphQLError[])[0].extensions?.code, 'NOT_FOUND');
    assert.deepEqual(
      sub.results.map((r) => r.data!.designChanged.type),
      ['LAYER_ADDED'],
    );
  });

  test('[A1] deleting the design sends DESIGN_DELETED and completes the subscription', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const sub = subscribe(DESIGN_URL, owner, CHANGED, { d: id, after: 0 }, isAutosaved);
    await sub.waitFor(1);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          deleteDesign(id: $d)
        }
      `),
      { d: id },
    );
    assert.deepEqual(await sub.ended, {});
    assert.deepEqual(
      sub.results.map((r) => r.data!.designChanged.type),
      ['DESIGN_UPDATED', 'DESIGN_DELETED'],
    );
  });

  test('[A2] without a token only PUBLIC published designs can be watched; a bad token closes the socket with its reason', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'PUBLIC' });
    const hidden = subscribe(DESIGN_URL, null, CHANGED, { d: id }, isAutosaved);
    assert.deepEqual(await hidden.ended, {});
    assert.equal(hidden.results[0]!.errors![0].extensions!.code, 'NOT_FOUND');
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          publishDesign(id: $d) {
            id
          }
        }
      `),
      { d: id },
    );
    const watcher = subscribe(DESIGN_URL, null, CHANGED, { d: id, after: 2 }, isAutosaved);
    await addLayer(owner, id);
    await watcher.waitFor(1);
    await watcher.close();
    const forged = subscribe(DESIGN_URL, { id: owner.id, tier: 'pro', token: 'not-a-jwt' }, CHANGED, { d: id }, isAutosaved);
    const closed = (await forged.ended).error as { code: number; reason: string };
    assert.equal(closed.code, 4403);
    assert.match(closed.reason, /Invalid token/);
  });

  test('[R5] unsubscribing closes the Redis subscription at once (no leak)', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const redis = new Redis(process.env.REDIS_URL!);
    const channel = `${process.env.REDIS_PREFIX}design:${id}:events`;
    const count = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const sub = subscribe(DESIGN_URL, owner, CHANGED, { d: id, after: 1 }, isAutosaved);
    await addLayer(owner, id);
    await sub.waitFor(1);
    assert.equal(await count(), 1);
    await sub.close();
    for (let i = 0; i < 50 && (await count()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await count(), 0);
    redis.disconnect();
  });
});

describe('live events through the development gateway', () => {
  test("[R1] [A2] a subscription through the gateway receives the design's events; a bad token is refused there with its reason", async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const sub = subscribe(
      GATEWAY_URL,
      owner,
      graphql(`
        subscription ($d: ID!) {
          designChanged(designId: $d, afterRevision: 1) {
            type
            revision
            layer {
              id
            }
          }
        }
      `),
      { d: id },
      isAutosaved,
    );
    const layer = await addLayer(owner, id);
    await sub.waitFor(1);
    assert.deepEqual(sub.results[0]!.data!.designChanged, { type: 'LAYER_ADDED', revision: 2, layer: { id: layer.id } });
    await sub.close();
    const forged = subscribe(
      GATEWAY_URL,
      { id: owner.id, tier: 'pro', token: 'not-a-jwt' },
      graphql(`
        subscription ($d: ID!) {
          designChanged(designId: $d) {
            revision
          }
        }
      `),
      { d: id },
    );
    const closed = (await forged.ended).error as { code: number; reason: string };
    assert.equal(closed.code, 4403);
    assert.match(closed.reason, /Invalid token/);
  });
});
