import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPatch, deepClone, type Operation as PatchOperation } from 'fast-json-patch';
import { addLayer, AVATAR_FEMALE, errorCode, gql, ITEM, makeDesign, makeUser, ok, share, withDb, graphql } from './helpers';

const CHECKPOINT = graphql(`
  mutation ($d: ID!, $m: String) {
    createCheckpoint(designId: $d, message: $m) {
      number
      kind
      message
      createdBy {
        id
      }
      snapshot {
        revision
        name
        layers {
          id
          opacity
        }
      }
      diff {
        fromVersion
        toVersion
        layersAdded
        layersChanged {
          layerId
          fields
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation ($id: ID!, $input: UpdateLayerInput!) {
    updateLayer(id: $id, input: $input) {
      id
    }
  }
`);

/** A small deterministic random source, so a failing sequence can be replayed from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

async function stateOfVersion(designId: string, number: number) {
  return withDb(
    async (db) =>
      (
        await db.query(
          `SELECT s.state FROM design_versions v JOIN design_snapshots s ON s.id = v.snapshot_id WHERE v.design_id = $1 AND v.number = $2`,
          [designId, number],
        )
      ).rows[0].state,
  );
}

describe('versions, diff, restore and fork', () => {
  test('[V1] creation makes version 1 (INITIAL); checkpoints add versions with a diff from the previous one', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const { createCheckpoint: v2 } = await ok(owner, CHECKPOINT, { d: id, m: 'first look' });
    assert.equal(v2.number, 2);
    assert.equal(v2.kind, 'CHECKPOINT');
    assert.equal(v2.message, 'first look');
    assert.equal(v2.createdBy!.id, owner.id);
    assert.deepEqual(v2.snapshot.layers, [{ id: layer.id, opacity: 100 }]);
    assert.deepEqual(v2.diff!.layersAdded, [layer.id]);
    await ok(owner, UPDATE, { id: layer.id, input: { opacity: 30 } });
    const { createCheckpoint: v3 } = await ok(owner, CHECKPOINT, { d: id });
    assert.deepEqual(v3.diff!.layersChanged, [{ layerId: layer.id, fields: ['opacity'] }]);
    const { design } = await ok(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            version
            versions {
              totalCount
              edges {
                node {
                  number
                  kind
                }
              }
            }
            history(first: 1) {
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
    );
    assert.equal(design!.version, 3);
    assert.deepEqual(
      design!.versions.edges.map((e) => [e.node.number, e.node.kind]),
      [
        [3, 'CHECKPOINT'],
        [2, 'CHECKPOINT'],
        [1, 'INITIAL'],
      ],
    );
    assert.equal(design!.history.edges[0].node.action, 'CHECKPOINT_CREATED');
  });

  test('designDiff: applying the patch to the `from` snapshot gives the `to` snapshot, for random edit sequences', async () => {
    const owner = await makeUser('enterprise');
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const { id } = await makeDesign(owner, { avatarId: AVATAR_FEMALE });
      const layers: string[] = [];
      const edits = [
        async () =>
          layers.push(
            (
              await addLayer(owner, id, {
                catalogItemId: [ITEM.tshirt, ITEM.cap, ITEM.belt][Math.floor(next() * 3)],
                order: Math.floor(next() * (layers.length + 1)),
              })
            ).id,
          ),
        async () =>
          layers.length &&
          ok(owner, UPDATE, {
            id: layers[Math.floor(next() * layers.length)],
            input: { opacity: Math.floor(next() * 101), transform: { position: { x: next(), y: next(), z: next() } } },
          }),
        async () =>
          layers.length > 1 &&
          ok(
            owner,
            graphql(`
              mutation ($id: ID!, $o: Int!) {
                moveLayer(id: $id, toOrder: $o) {
                  id
                }
              }
            `),
            {
              id: layers[Math.floor(next() * layers.length)],
              o: Math.floor(next() * layers.length),
            },
          ),
        async () =>
          layers.length &&
          ok(
            owner,
            graphql(`
              mutation ($id: ID!) {
                removeLayer(id: $id) {
                  id
                }
              }
            `),
            { id: layers.splice(Math.floor(next() * layers.length), 1)[0] },
          ),
        async () =>
          ok(
            owner,
            graphql(`
              mutation ($d: ID!, $c: String!) {
                updateCanvasSettings(designId: $d, input: { background: { type: COLOR, value: $c }, gridSize: 5 }) {
                  gridSize
                }
              }
            `),
            {
              d: id,
              c: `#${Math.floor(next() * 0xffffff)
                .toString(16)
                .padStart(6, '0')}`,
            },
          ),
        async () =>
          ok(
            owner,
            graphql(`
              mutation ($d: ID!, $n: String!) {
                updateDesign(id: $d, input: { name: $n, tags: ["a", "b"] }) {
                  id
                }
              }
            `),
            {
              d: id,
              n: `name ${next()}`,
            },
          ),
        async () =>
          layers.length > 1 &&
          ok(
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
              ids: layers.slice(0, 2),
            },
          ),
      ];
      for (let checkpoint = 0; checkpoint < 4; checkpoint++) {
        for (let i = 0; i < 6; i++) await edits[Math.floor(next() * edits.length)]!();
        await ok(owner, CHECKPOINT, { d: id });
      }
      for (const [from, to] of [
        [1, 5],
        [2, 3],
        [5, 2],
        [3, 4],
        [1, 1],
      ]) {
        const { designDiff } = await ok(
          owner,
          graphql(`
            query ($d: ID!, $f: Int!, $t: Int!) {
              designDiff(designId: $d, fromVersion: $f, toVersion: $t) {
                fromVersion
                toVersion
                patch {
                  op
                  path
                  from
                  value
                }
              }
            }
          `),
          { d: id, f: from, t: to },
        );
        // GraphQL has no 'absent': `from` is null where unused, and `value` only counts for add, replace and test.
        const patch = designDiff.patch.map(
          ({ op, path, from, value }) =>
            ({
              op,
              path,
              ...(from !== null ? { from } : {}),
              ...(['add', 'replace', 'test'].includes(op) ? { value } : {}),
            }) as PatchOperation,
        );
        const result = applyPatch(deepClone(await stateOfVersion(id, from!)), patch, true, false).newDocument;
        assert.deepEqual(result, await stateOfVersion(id, to!), `seed ${seed}: ${from} -> ${to}`);
      }
    }
  });

  test('[V1] restoreVersion makes that state current as a new revision with a RESTORE version; history is kept', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const a = await addLayer(owner, id);
    await ok(owner, UPDATE, { id: a.id, input: { opacity: 10 } });
    await ok(owner, CHECKPOINT, { d: id });
    await ok(owner, UPDATE, { id: a.id, input: { opacity: 90 } });
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
    await addLayer(owner, id, { catalogItemId: ITEM.cap });
    const before = (
      await ok(
        owner,
        graphql(`
          query ($d: ID!) {
            design(id: $d) {
              revision
            }
          }
        `),
        { d: id },
      )
    ).design!.revision;
    const { restoreVersion } = await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          restoreVersion(designId: $d, version: 2) {
            revision
            version
            layers {
              id
              opacity
            }
            versions(first: 1) {
              edges {
                node {
                  kind
                  number
                }
              }
            }
          }
        }
      `),
      { d: id },
    );
    assert.equal(restoreVersion.revision, before + 1);
    assert.deepEqual(restoreVersion.layers, [{ id: a.id, opacity: 10 }]);
    assert.deepEqual(restoreVersion.versions.edges[0].node, { kind: 'RESTORE', number: 3 });
    const history = await withDb((db) => db.query(`SELECT count(*)::int AS n FROM design_history WHERE design_id = $1`, [id]));
    assert.equal(history.rows[0].n, restoreVersion.revision);
    assert.equal(await errorCode(owner, `mutation($d: ID!) { restoreVersion(designId: $d, version: 99) { id } }`, { d: id }), 'NOT_FOUND');
    assert.equal(
      await errorCode(owner, `mutation($d: ID!) { restoreVersion(designId: $d, version: 1, expectedRevision: 1) { id } }`, { d: id }),
      'CONFLICT',
    );
  });

  test('[V1] forkDesign copies the design into a private draft of the caller, with forkedFrom, a FORK version and forkCount + 1', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const { id } = await makeDesign(owner, { name: 'Original', avatarId: AVATAR_FEMALE });
    const a = await addLayer(owner, id, { opacity: 40 });
    const b = await addLayer(owner, id);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $ids: [ID!]!) {
          groupLayers(designId: $d, layerIds: $ids, name: "G") {
            id
          }
        }
      `),
      {
        d: id,
        ids: [a.id, b.id],
      },
    );
    assert.equal(await errorCode(reader, `mutation($d: ID!) { forkDesign(id: $d) { id } }`, { d: id }), 'NOT_FOUND');
    await share(owner, id, reader, 'VIEWER');
    const { forkDesign: fork } = await ok(
      reader,
      graphql(`
        mutation ($d: ID!) {
          forkDesign(id: $d) {
            id
            name
            visibility
            status
            owner {
              id
            }
            forkedFrom {
              id
              forkCount
            }
            avatar {
              id
            }
            version
            versions {
              edges {
                node {
                  kind
                }
              }
            }
            layers {
              id
              opacity
              group {
                name
                layers {
                  id
                }
              }
            }
          }
        }
      `),
      { d: id },
    );
    assert.equal(fork.name, 'Original (fork)');
    assert.equal(fork.visibility, 'PRIVATE');
    assert.equal(fork.owner.id, reader.id);
    assert.deepEqual(fork.forkedFrom, { id, forkCount: 1 });
    assert.deepEqual(fork.avatar, { id: AVATAR_FEMALE });
    assert.deepEqual(
      fork.versions.edges.map((e) => e.node.kind),
      ['FORK'],
    );
    assert.deepEqual(
      fork.layers.map((l) => l.opacity),
      [40, 100],
    );
    assert.ok(
      fork.layers.every((l) => l.id !== a.id && l.id !== b.id),
      'new layer ids',
    );
    assert.equal(fork.layers[0].group!.name, 'G');
    assert.deepEqual(
      fork.layers[0].group!.layers.map((l) => l.id),
      fork.layers.map((l) => l.id),
    );
    const source = await ok(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            revision
            forkCount
          }
        }
      `),
      { d: id },
    );
    assert.deepEqual(source.design, { revision: 5, forkCount: 1 }, 'forking changes no revision of the source');
  });

  test("a version snapshot answers from the snapshot, not from today's rows", async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const a = await addLayer(owner, id, { opacity: 20 });
    await ok(owner, CHECKPOINT, { d: id });
    await ok(owner, UPDATE, { id: a.id, input: { opacity: 80 } });
    const { design } = await ok(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            versions(first: 1) {
              edges {
                node {
                  snapshot {
                    revision
                    layers {
                      opacity
                    }
                    canvas {
                      gridSize
                    }
                  }
                }
              }
            }
          }
        }
      `),
      { d: id },
    );
    assert.deepEqual(design!.versions.edges[0].node.snapshot, { revision: 3, layers: [{ opacity: 20 }], canvas: { gridSize: 10 } });
    assert.equal(
      (
        await gql(
          owner,
          graphql(`
            query ($d: ID!) {
              designDiff(designId: $d, fromVersion: 1, toVersion: 7) {
                fromVersion
              }
            }
          `),
          { d: id },
        )
      ).errors?.[0]?.extensions?.field,
      'toVersion',
    );
  });
});
