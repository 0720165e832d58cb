import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { addLayer, makeDesign, makeUser, ok, share, subscribe, DESIGN_URL, withDb, graphql, type TestUser } from './helpers';

const AUTOSAVES = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      revision
      autosaves {
        totalCount
        edges {
          node {
            number
            revision
            snapshot {
              layers {
                opacity
              }
            }
          }
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation ($id: ID!, $o: Int!) {
    updateLayer(id: $id, input: { opacity: $o }) {
      id
    }
  }
`);
const DELAY_MS = Number(process.env.AUTOSAVE_DELAY_MS);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForAutosaves(user: TestUser, d: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const { design } = await ok(user, AUTOSAVES, { d });
    if (design!.autosaves.totalCount >= count) return design;
    await sleep(100);
  }
  throw new Error(`no ${count} autosaves`);
}

describe('autosave (debounced, on BullMQ workers)', () => {
  test('[V2] many changes within the delay make one autosave of the latest state, announced by AUTOSAVED', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const sub = subscribe(
      DESIGN_URL,
      owner,
      graphql(`
        subscription ($d: ID!) {
          designChanged(designId: $d, afterRevision: 1) {
            type
            revision
          }
        }
      `),
      {
        d: id,
      },
    );
    const layer = await addLayer(owner, id);
    for (let o = 1; o <= 5; o++) await ok(owner, UPDATE, { id: layer.id, o });
    const design = await waitForAutosaves(owner, id, 1);
    await sleep(DELAY_MS * 3);
    const after = (await ok(owner, AUTOSAVES, { d: id })).design;
    assert.equal(after!.autosaves.totalCount, 1, 'one autosave for the burst');
    assert.deepEqual(design!.autosaves.edges[0].node, { number: 1, revision: design!.revision, snapshot: { layers: [{ opacity: 5 }] } });
    await sub.waitFor(7);
    assert.deepEqual(sub.results.at(-1)!.data!.designChanged, { type: 'AUTOSAVED', revision: design!.revision });
    const row = await withDb((db) => db.query(`SELECT last_autosave_at FROM designs WHERE id = $1`, [id]));
    assert.ok(row.rows[0].last_autosave_at);
    const redis = new Redis(process.env.REDIS_URL!);
    const key = `${process.env.REDIS_PREFIX}design:${id}:state`;
    const ttl = await redis.ttl(key);
    assert.ok(ttl > 0 && ttl <= 1800, `state cached with a TTL of at most 30 min (${ttl})`);
    assert.equal(JSON.parse((await redis.get(key))!).revision, design!.revision);
    redis.disconnect();
    await sub.close();
  });

  test('[V2] no autosave when the content did not change since the last one; the next change makes the next autosave, with its diff (the cached state is never stale)', async () => {
    const owner = await makeUser();
    const guest = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    await waitForAutosaves(owner, id, 1);
    await sleep(DELAY_MS * 4);
    const settled = (await ok(owner, AUTOSAVES, { d: id })).design!.autosaves.totalCount;
    await share(owner, id, guest, 'VIEWER');
    await sleep(DELAY_MS * 4);
    assert.equal((await ok(owner, AUTOSAVES, { d: id })).design!.autosaves.totalCount, settled);
    await ok(owner, UPDATE, { id: layer.id, o: 42 });
    await waitForAutosaves(owner, id, settled + 1);
    const diff = await withDb((db) =>
      db.query(`SELECT diff FROM design_autosaves WHERE design_id = $1 AND number = $2`, [id, settled + 1]),
    );
    assert.ok((diff.rows[0].diff as { path: string; value?: unknown }[]).some((op) => op.path === '/layers/0/opacity' && op.value === 42));
  });

  test('restoreAutosave brings that state back as a new revision with a RESTORE version', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    await ok(owner, UPDATE, { id: layer.id, o: 33 });
    await waitForAutosaves(owner, id, 1);
    await ok(owner, UPDATE, { id: layer.id, o: 77 });
    const { restoreAutosave } = await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          restoreAutosave(designId: $d, number: 1) {
            layers {
              opacity
            }
            versions(first: 1) {
              edges {
                node {
                  kind
                }
              }
            }
          }
        }
      `),
      { d: id },
    );
    assert.deepEqual(restoreAutosave.layers, [{ opacity: 33 }]);
    assert.equal(restoreAutosave.versions.edges[0].node.kind, 'RESTORE');
  });

  test('[V2] expired autosaves disappear on schedule', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await withDb((db) =>
      db.query(
        `INSERT INTO design_autosaves (design_id, number, revision, state, created_at, expires_at) VALUES ($1, 90, 1, '{}', now() - interval '8 days', now() - interval '1 day')`,
        [id],
      ),
    );
    for (let i = 0; i < 60; i++) {
      const left = await withDb((db) =>
        db.query(`SELECT count(*)::int AS n FROM design_autosaves WHERE design_id = $1 AND number = 90`, [id]),
      );
      if (left.rows[0].n === 0) return;
      await sleep(100);
    }
    assert.fail('the expired autosave is still there');
  });
});
