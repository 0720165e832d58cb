import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addLayer, errorCode, ITEM, makeDesign, makeUser, ok, share, type TestUser, graphql } from './helpers';

const UPDATE = graphql(`
  mutation ($id: ID!, $input: UpdateLayerInput!) {
    updateLayer(id: $id, input: $input) {
      id
    }
  }
`);
const UNDO = graphql(`
  mutation ($d: ID!) {
    undo(designId: $d) {
      revision
    }
  }
`);
const REDO = graphql(`
  mutation ($d: ID!) {
    redo(designId: $d) {
      revision
    }
  }
`);
const STATE = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      revision
      name
      canUndo
      canRedo
      layers {
        id
        opacity
        name
        transform {
          position {
            x
          }
          scale {
            x
          }
        }
      }
      layerGroups {
        id
      }
      canvas {
        showGrid
        gridSize
      }
    }
  }
`);

const state = async (user: TestUser, d: string) => (await ok(user, STATE, { d })).design;

async function pair() {
  const alice = await makeUser();
  const bob = await makeUser();
  const { id } = await makeDesign(alice);
  await share(alice, id, bob, 'EDITOR');
  return { alice, bob, id };
}

describe('undo and redo (docs/collaboration.md U1-U4)', () => {
  test("[U1] undo reverts the caller's own newest change as a new revision, never someone else's", async () => {
    const { alice, bob, id } = await pair();
    const layer = await addLayer(alice, id);
    await ok(alice, UPDATE, { id: layer.id, input: { opacity: 50 } });
    await ok(bob, UPDATE, { id: layer.id, input: { name: 'bob was here' } });
    const before = await state(alice, id);
    await ok(alice, UNDO, { d: id });
    const after = await state(alice, id);
    assert.equal(after!.revision, before!.revision + 1);
    assert.equal(after!.layers[0].opacity, 100, "alice's opacity change is undone");
    assert.equal(after!.layers[0].name, 'bob was here', "bob's change stays");
    assert.equal(await errorCode(await makeUser(), UNDO, { d: id }), 'NOT_FOUND');
  });

  test('[U2] a property someone else changed since is left as it is; the other properties of the change are reverted', async () => {
    const { alice, bob, id } = await pair();
    const layer = await addLayer(alice, id);
    await ok(alice, UPDATE, {
      id: layer.id,
      input: { opacity: 50, transform: { position: { x: 1, y: 0, z: 0 }, scale: { x: 2, y: 2, z: 2 } } },
    });
    await ok(bob, UPDATE, { id: layer.id, input: { opacity: 70, transform: { scale: { x: 3, y: 3, z: 3 } } } });
    await ok(alice, UNDO, { d: id });
    const [l] = (await state(alice, id))!.layers;
    assert.equal(l.opacity, 70, 'bob changed opacity since: it stays');
    assert.equal(l.transform.scale.x, 3, 'bob changed scale since: it stays');
    assert.equal(l.transform.position.x, 0, 'nobody touched position since: it goes back');
  });

  test('[U3] redo re-applies; a new own change clears the redo stack; canUndo and canRedo tell the truth', async () => {
    const { alice, bob, id } = await pair();
    const layer = await addLayer(alice, id);
    assert.deepEqual([(await state(alice, id))!.canUndo, (await state(alice, id))!.canRedo], [true, false]);
    assert.deepEqual([(await state(bob, id))!.canUndo, (await state(bob, id))!.canRedo], [false, false]);
    await ok(alice, UPDATE, { id: layer.id, input: { opacity: 10 } });
    await ok(alice, UPDATE, { id: layer.id, input: { opacity: 20 } });
    await ok(alice, UNDO, { d: id });
    await ok(alice, UNDO, { d: id });
    assert.equal((await state(alice, id))!.layers[0].opacity, 100);
    await ok(alice, REDO, { d: id });
    let s = await state(alice, id);
    assert.equal(s!.layers[0].opacity, 10);
    assert.deepEqual([s!.canUndo, s!.canRedo], [true, true]);
    await ok(bob, UPDATE, { id: layer.id, input: { name: 'bob' } });
    assert.equal((await state(alice, id))!.canRedo, true, "someone else's change does not clear alice's redo stack");
    await ok(
      alice,
      graphql(`
        mutation ($d: ID!) {
          updateCanvasSettings(designId: $d, input: { gridSize: 4 }) {
            gridSize
          }
        }
      `),
      { d: id },
    );
    s = await state(alice, id);
    assert.equal(s!.canRedo, false);
    assert.equal(await errorCode(alice, REDO, { d: id }), 'BAD_USER_INPUT');
    await ok(alice, UNDO, { d: id });
    assert.equal((await state(alice, id))!.canvas.gridSize, 10);
  });

  test('[U4] undo covers adding, removing, reordering and grouping layers, and design fields', async () => {
    const { alice, id } = await pair();
    const a = await addLayer(alice, id);
    const b = await addLayer(alice, id, { catalogItemId: ITEM.cap });
    await ok(
      alice,
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
      alice,
      graphql(`
        mutation ($d: ID!, $ids: [ID!]!) {
          groupLayers(designId: $d, layerIds: $ids) {
            id
          }
        }
      `),
      { d: id, ids: [a.id] },
    );
    await ok(
      alice,
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
      alice,
      graphql(`
        mutation ($d: ID!) {
          updateDesign(id: $d, input: { name: "New name" }) {
            id
          }
        }
      `),
      { d: id },
    );
    const original = (
      await ok(
        alice,
        graphql(`
          query ($d: ID!) {
            design(id: $d) {
              history(first: 100) {
                totalCount
              }
            }
          }
        `),
        { d: id },
      )
    ).design!.history.totalCount;

    await ok(alice, UNDO, { d: id });
    assert.notEqual((await state(alice, id))!.name, 'New name');
    await ok(alice, UNDO, { d: id });
    let s = await state(alice, id);
    assert.deepEqual(
      s!.layers.map((l) => l.id),
      [b.id, a.id],
      'the removed layer is back where it was',
    );
    assert.equal(s!.layerGroups.length, 1, 'with its group');
    await ok(alice, UNDO, { d: id });
    assert.equal((await state(alice, id))!.layerGroups.length, 0);
    await ok(alice, UNDO, { d: id });
    assert.deepEqual(
      (await state(alice, id))!.layers.map((l) => l.id),
      [a.id, b.id],
    );
    await ok(alice, UNDO, { d: id });
    assert.deepEqual(
      (await state(alice, id))!.layers.map((l) => l.id),
      [a.id],
    );
    await ok(alice, REDO, { d: id });
    s = await state(alice, id);
    assert.deepEqual(
      s!.layers.map((l) => l.id),
      [a.id, b.id],
    );
    const history = (
      await ok(
        alice,
        graphql(`
          query ($d: ID!) {
            design(id: $d) {
              history(first: 100) {
                totalCount
                edges {
                  node {
                    action
                  }
                }
              }
            }
          }
        `),
        { d: id },
      )
    ).design!.history;
    assert.equal(history.totalCount, original + 6, 'undo and redo add to the history, never rewrite it');
    assert.deepEqual(
      history.edges.slice(0, 6).map((e) => e.node.action),
      ['REDO', 'UNDO', 'UNDO', 'UNDO', 'UNDO', 'UNDO'],
    );
  });

  test('[U1] restores and collaborator changes are not undoable', async () => {
    const { alice, bob, id } = await pair();
    await ok(
      alice,
      graphql(`
        mutation ($d: ID!) {
          createCheckpoint(designId: $d) {
            number
          }
        }
      `),
      { d: id },
    );
    await ok(
      alice,
      graphql(`
        mutation ($d: ID!) {
          restoreVersion(designId: $d, version: 1) {
            id
          }
        }
      `),
      { d: id },
    );
    await ok(
      alice,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          updateCollaborator(designId: $d, userId: $u, role: VIEWER) {
            role
          }
        }
      `),
      {
        d: id,
        u: bob.id,
      },
    );
    assert.equal((await state(alice, id))!.canUndo, false);
  });
});
