import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import {
  addLayer,
  AVATAR_FEMALE,
  AVATAR_MALE,
  errorCode,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  share,
  withDb,
  graphql,
  type TestUser,
} from './helpers';

const STACK = graphql(`
  query ($id: ID!) {
    design(id: $id) {
      revision
      layers {
        id
        order
      }
      layerGroups {
        id
        name
        layers {
          id
        }
      }
    }
  }
`);
const ADD = graphql(`
  mutation ($d: ID!, $input: AddLayerInput!, $rev: Int) {
    addLayer(designId: $d, input: $input, expectedRevision: $rev) {
      id
      order
      type
      transform {
        scale {
          x
        }
      }
      customization {
        color
        textureScale
        material {
          id
        }
      }
      opacity
      blendMode
    }
  }
`);
const UPDATE = graphql(`
  mutation ($id: ID!, $input: UpdateLayerInput!, $rev: Int) {
    updateLayer(id: $id, input: $input, expectedRevision: $rev) {
      id
      opacity
      locked
      name
      transform {
        position {
          x
          y
          z
        }
      }
      customization {
        color
        roughness
      }
    }
  }
`);

async function stack(user: TestUser, id: string) {
  return (await ok(user, STACK, { id })).design;
}

describe('layers', () => {
  test('addLayer puts layers on top by default and inserts at an order, keeping orders 0..n-1', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const a = await addLayer(owner, id);
    const b = await addLayer(owner, id, { catalogItemId: ITEM.trousers });
    const c = await addLayer(owner, id, { catalogItemId: ITEM.cap, order: 0 });
    const d = await stack(owner, id);
    assert.deepEqual(
      d!.layers.map((l) => l.id),
      [c.id, a.id, b.id],
    );
    assert.deepEqual(
      d!.layers.map((l) => l.order),
      [0, 1, 2],
    );
    assert.equal(d!.revision, 4);
    assert.equal(await errorCode(owner, ADD, { d: id, input: { catalogItemId: ITEM.tshirt, order: 9 } }), 'BAD_USER_INPUT');
  });

  test('addLayer takes the type from the catalog and applies defaults and customization', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const { addLayer: layer } = await ok(owner, ADD, {
      d: id,
      input: { catalogItemId: ITEM.cap, customization: { color: '#112233', materialItemId: ITEM.denim } },
    });
    assert.equal(layer.type, 'ACCESSORY');
    assert.equal(layer.opacity, 100);
    assert.equal(layer.blendMode, 'NORMAL');
    assert.equal(layer.transform.scale.x, 1);
    assert.deepEqual(layer.customization, { color: '#112233', textureScale: 1, material: { id: ITEM.denim } });
    assert.equal(
      await errorCode(owner, ADD, { d: id, input: { catalogItemId: ITEM.cap, customization: { materialItemId: ITEM.belt } } }),
      'BAD_USER_INPUT',
    );
  });

  test('the catalog decides: unknown or unavailable items and items that do not fit the avatar are refused, writing nothing', async () => {
    const owner = await makeUser();
    const male = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const female = await makeDesign(owner, { avatarId: AVATAR_FEMALE });
    assert.equal(await errorCode(owner, ADD, { d: male.id, input: { catalogItemId: 'item-nope' } }), 'CATALOG_ITEM_UNAVAILABLE');
    assert.equal(await errorCode(owner, ADD, { d: male.id, input: { catalogItemId: ITEM.puffer } }), 'CATALOG_ITEM_UNAVAILABLE');
    assert.equal(await errorCode(owner, ADD, { d: male.id, input: { catalogItemId: ITEM.skirt } }), 'INCOMPATIBLE_ITEM');
    await addLayer(owner, female.id, { catalogItemId: ITEM.skirt });
    assert.equal((await stack(owner, male.id))!.revision, 1);
  });

  test('addLayer with a client id is idempotent, even with a now-stale expectedRevision; another payload is a CONFLICT', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layerId = randomUUID();
    const input = { id: layerId, catalogItemId: ITEM.tshirt, name: 'Base' };
    await ok(owner, ADD, { d: id, input, rev: 1 });
    const again = await ok(owner, ADD, { d: id, input, rev: 1 });
    assert.equal(again.addLayer.id, layerId);
    assert.equal((await stack(owner, id))!.revision, 2);
    assert.equal(await errorCode(owner, ADD, { d: id, input: { ...input, name: 'Other' } }), 'CONFLICT');
  });

  test('updateLayer merges transform and customization; a locked layer refuses all but unlocking', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id, { customization: { color: '#aabbcc' } });
    const { updateLayer: u } = await ok(owner, UPDATE, {
      id: layer.id,
      input: { transform: { position: { x: 0.1, y: 0.2, z: 0.3 } }, customization: { roughness: 0.5 }, opacity: 40 },
    });
    assert.deepEqual(u.transform.position, { x: 0.1, y: 0.2, z: 0.3 });
    assert.deepEqual(u.customization, { color: '#aabbcc', roughness: 0.5 });
    assert.equal(u.opacity, 40);
    await ok(owner, UPDATE, { id: layer.id, input: { locked: true } });
    assert.equal(await errorCode(owner, UPDATE, { id: layer.id, input: { opacity: 10 } }), 'LAYER_LOCKED');
    assert.equal(await errorCode(owner, UPDATE, { id: layer.id, input: { locked: false, opacity: 10 } }), 'LAYER_LOCKED');
    assert.equal(await errorCode(owner, `mutation($id: ID!) { removeLayer(id: $id) { id } }`, { id: layer.id }), 'LAYER_LOCKED');
    assert.equal(await errorCode(owner, `mutation($id: ID!) { moveLayer(id: $id, toOrder: 0) { id } }`, { id: layer.id }), 'LAYER_LOCKED');
    const unlocked = await ok(owner, UPDATE, { id: layer.id, input: { locked: false } });
    assert.equal(unlocked.updateLayer.locked, false);
  });

  test('reorderLayers needs an exact permutation; moveLayer and removeLayer keep orders without gaps', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const [a, b, c] = [await addLayer(owner, id), await addLayer(owner, id), await addLayer(owner, id)];
    const REORDER = graphql(`
      mutation ($d: ID!, $ids: [ID!]!) {
        reorderLayers(designId: $d, layerIds: $ids) {
          layers {
            id
            order
          }
        }
      }
    `);
    assert.equal(await errorCode(owner, REORDER, { d: id, ids: [a.id, b.id] }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(owner, REORDER, { d: id, ids: [a.id, a.id, b.id] }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(owner, REORDER, { d: id, ids: [a.id, b.id, randomUUID()] }), 'BAD_USER_INPUT');
    const reordered = await ok(owner, REORDER, { d: id, ids: [c.id, a.id, b.id] });
    assert.deepEqual(
      reordered.reorderLayers.layers.map((l) => l.id),
      [c.id, a.id, b.id],
    );
    const moved = await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          moveLayer(id: $id, toOrder: 2) {
            layers {
              id
              order
            }
          }
        }
      `),
      { id: c.id },
    );
    assert.deepEqual(
      moved.moveLayer.layers.map((l) => [l.id, l.order]),
      [
        [a.id, 0],
        [b.id, 1],
        [c.id, 2],
      ],
    );
    const removed = await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          removeLayer(id: $id) {
            layers {
              id
              order
            }
          }
        }
      `),
      { id: a.id },
    );
    assert.deepEqual(
      removed.removeLayer.layers.map((l) => [l.id, l.order]),
      [
        [b.id, 0],
        [c.id, 1],
      ],
    );
  });

  test('duplicateLayer copies just above the source; group and ungroup; a group goes with its last layer', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const [a, b] = [await addLayer(owner, id, { opacity: 70 }), await addLayer(owner, id)];
    const { duplicateLayer: copy } = await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          duplicateLayer(id: $id) {
            id
            order
            opacity
          }
        }
      `),
      { id: a.id },
    );
    assert.deepEqual([copy.order, copy.opacity], [1, 70]);
    const { groupLayers: group } = await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $ids: [ID!]!) {
          groupLayers(designId: $d, layerIds: $ids, name: "Top") {
            id
            name
            layers {
              id
            }
          }
        }
      `),
      { d: id, ids: [b.id, a.id] },
    );
    assert.deepEqual(
      group.layers.map((l) => l.id),
      [a.id, b.id],
    );
    const second = await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $ids: [ID!]!) {
          groupLayers(designId: $d, layerIds: $ids) {
            id
          }
        }
      `),
      {
        d: id,
        ids: [a.id, b.id],
      },
    );
    const d = await stack(owner, id);
    assert.deepEqual(
      d!.layerGroups.map((g) => g.id),
      [second.groupLayers.id],
    );
    await ok(
      owner,
      graphql(`
        mutation ($g: ID!) {
          ungroupLayers(groupId: $g) {
            id
          }
        }
      `),
      { g: second.groupLayers.id },
    );
    assert.deepEqual((await stack(owner, id))!.layerGroups, []);
  });

  test("the owner's tier sets the layer limit (free: 30), whoever edits; an owner's new tier applies from their next change", async () => {
    const seedThirtyLayers = (designId: string) =>
      withDb((db) =>
        db.query(
          `INSERT INTO layers (id, design_id, type, position, catalog_item_id, transform, customization, creation_hash)
       SELECT gen_random_uuid(), $1, 'SILHOUETTE', g, 'item-silhouette-t-shirt', '{}', '{}', 'seed' FROM generate_series(0, 29) g`,
          [designId],
        ),
      );
    const freeOwner = await makeUser('free');
    const proEditor = await makeUser('pro');
    const { id: freeDesign } = await makeDesign(freeOwner);
    await share(freeOwner, freeDesign, proEditor, 'EDITOR');
    await seedThirtyLayers(freeDesign);
    assert.equal(await errorCode(freeOwner, ADD, { d: freeDesign, input: { catalogItemId: ITEM.tshirt } }), 'LIMIT_EXCEEDED');
    assert.equal(
      await errorCode(proEditor, ADD, { d: freeDesign, input: { catalogItemId: ITEM.tshirt } }),
      'LIMIT_EXCEEDED',
      'a pro editor does not lift a free design',
    );

    const proOwner = await makeUser('pro');
    const freeEditor = await makeUser('free');
    const { id: proDesign } = await makeDesign(proOwner);
    await share(proOwner, proDesign, freeEditor, 'EDITOR');
    await seedThirtyLayers(proDesign);
    await addLayer(freeEditor, proDesign, { catalogItemId: ITEM.tshirt });

    const upgraded = { ...freeOwner, tier: 'pro' as const, token: await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, freeOwner.id, 'pro') };
    await addLayer(upgraded, freeDesign, { catalogItemId: ITEM.tshirt });
    await addLayer(proEditor, freeDesign, { catalogItemId: ITEM.tshirt });
  });

  test('[O2] [C2] 100 concurrent layer updates lose nothing: 100 change-log entries and revision +100', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const before = (await stack(owner, id))!.revision;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => gql(owner, UPDATE, { id: layer.id, input: { name: `name ${i}` } })),
    );
    assert.deepEqual(
      results.filter((r) => r.errors),
      [],
    );
    assert.equal((await stack(owner, id))!.revision, before + 100);
    const log = await withDb((db) =>
      db.query(`SELECT revision FROM design_history WHERE design_id = $1 AND action = 'LAYER_UPDATED' ORDER BY revision`, [id]),
    );
    assert.deepEqual(
      log.rows.map((r) => r.revision),
      Array.from({ length: 100 }, (_, i) => before + 1 + i),
    );
  });

  test('[C3] last writer wins per property: concurrent changes of different properties both stay', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { id } = await makeDesign(alice);
    await ok(
      alice,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          addCollaborator(designId: $d, userId: $u, role: EDITOR) {
            role
          }
        }
      `),
      {
        d: id,
        u: bob.id,
      },
    );
    const layer = await addLayer(alice, id);
    await Promise.all([
      ok(alice, UPDATE, { id: layer.id, input: { opacity: 33, transform: { position: { x: 1, y: 2, z: 3 } } } }),
      ok(bob, UPDATE, { id: layer.id, input: { name: 'bob', transform: { scale: { x: 2, y: 2, z: 2 } } } }),
    ]);
    const row = await withDb((db) => db.query('SELECT opacity, name, transform FROM layers WHERE id = $1', [layer.id]));
    assert.equal(row.rows[0].opacity, 33);
    assert.equal(row.rows[0].name, 'bob');
    assert.deepEqual(row.rows[0].transform.position, { x: 1, y: 2, z: 3 });
    assert.deepEqual(row.rows[0].transform.scale, { x: 2, y: 2, z: 2 });
  });

  test('[C1] a stale expectedRevision on a layer change is a CONFLICT and changes nothing', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const result = await gql(owner, UPDATE, { id: layer.id, input: { opacity: 5 }, rev: 1 });
    assert.equal(result.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal(result.errors?.[0]?.extensions?.currentRevision, 2);
    const row = await withDb((db) => db.query('SELECT opacity FROM layers WHERE id = $1', [layer.id]));
    assert.equal(row.rows[0].opacity, 100);
  });
});
