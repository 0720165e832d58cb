import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorCode, graphql, makeDesign, makeUser, ok, pollUntil, share, withDb, type TestUser } from './helpers';

const COUNTS = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      revision
      likeCount
      viewCount
      viewerHasLiked
    }
  }
`);
const LIKE = graphql(`
  mutation ($d: ID!) {
    likeDesign(id: $d) {
      likeCount
      viewerHasLiked
    }
  }
`);
const UNLIKE = graphql(`
  mutation ($d: ID!) {
    unlikeDesign(id: $d) {
      likeCount
      viewerHasLiked
    }
  }
`);
const VIEW = graphql(`
  mutation ($d: ID!) {
    recordDesignView(id: $d) {
      viewCount
    }
  }
`);

const counts = async (user: TestUser | null, designId: string) => (await ok(user, COUNTS, { d: designId })).design!;

async function publicDesign(owner: TestUser) {
  const design = await makeDesign(owner, { visibility: 'PUBLIC' });
  await ok(owner, graphql('mutation($d: ID!) { publishDesign(id: $d) { id } }'), { d: design.id });
  return design;
}

describe('likes and views', { timeout: 60_000 }, () => {
  test('[LV1] a like counts once per person, unlike is its reverse, and neither is a change of the design', async () => {
    const owner = await makeUser();
    const fan = await makeUser();
    const other = await makeUser();
    const design = await makeDesign(owner, { visibility: 'SHARED' });
    const { revision } = await counts(owner, design.id);

    assert.deepEqual((await ok(fan, LIKE, { d: design.id })).likeDesign, { likeCount: 1, viewerHasLiked: true });
    assert.deepEqual((await ok(fan, LIKE, { d: design.id })).likeDesign, { likeCount: 1, viewerHasLiked: true });
    await Promise.all(Array.from({ length: 10 }, () => ok(other, LIKE, { d: design.id })));
    assert.deepEqual(await counts(owner, design.id), { revision, likeCount: 2, viewCount: 0, viewerHasLiked: false });

    assert.deepEqual((await ok(fan, UNLIKE, { d: design.id })).unlikeDesign, { likeCount: 1, viewerHasLiked: false });
    assert.deepEqual((await ok(fan, UNLIKE, { d: design.id })).unlikeDesign, { likeCount: 1, viewerHasLiked: false });
    assert.equal((await counts(other, design.id)).viewerHasLiked, true);
    assert.equal((await counts(null, (await publicDesign(owner)).id)).viewerHasLiked, false, 'anonymous: false');

    const history = await withDb(
      async (db) => (await db.query('SELECT count(*)::int AS n FROM design_history WHERE design_id = $1', [design.id])).rows[0].n,
    );
    assert.equal(history, revision, 'no change-log entry for likes');
  });

  test('[LV1] liking needs a signed-in reader', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const privateDesign = await makeDesign(owner);
    assert.equal(await errorCode(stranger, LIKE, { d: privateDesign.id }), 'NOT_FOUND');
    assert.equal(await errorCode(null, LIKE, { d: (await publicDesign(owner)).id }), 'UNAUTHENTICATED');
    const viewer = await makeUser();
    await share(owner, privateDesign.id, viewer, 'VIEWER');
    assert.equal((await ok(viewer, LIKE, { d: privateDesign.id })).likeDesign.likeCount, 1);
  });

  test('[LV2] a view counts once per user (or anonymous address) per design per day', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const design = await publicDesign(owner);
    for (let i = 0; i < 3; i++) await ok(reader, VIEW, { d: design.id });
    await ok(owner, VIEW, { d: design.id });
    for (let i = 0; i < 3; i++) await ok(null, VIEW, { d: design.id });
    assert.equal((await counts(null, design.id)).viewCount, 3, 'the reader, the owner, and this address');

    const stored = await withDb(async (db) => (await db.query('SELECT viewer FROM design_views WHERE design_id = $1', [design.id])).rows);
    assert.ok(
      stored.every((row) => /^(user:[0-9a-f-]{36}|address:[A-Za-z0-9_-]{22})$/.test(row.viewer)),
      'addresses are kept hashed',
    );

    // The next day: yesterday's rows no longer stop a view from counting.
    await withDb((db) => db.query(`UPDATE design_views SET day = day - 1 WHERE design_id = $1`, [design.id]));
    await ok(reader, VIEW, { d: design.id });
    assert.equal((await counts(null, design.id)).viewCount, 4);

    assert.equal(await errorCode(null, VIEW, { d: (await makeDesign(owner)).id }), 'NOT_FOUND', 'anonymous, private design');
  });

  test('[LV2] who viewed is forgotten after a day, the count stays', async () => {
    const owner = await makeUser();
    const design = await makeDesign(owner);
    await ok(owner, VIEW, { d: design.id });
    await withDb((db) => db.query(`UPDATE design_views SET day = day - 3 WHERE design_id = $1`, [design.id]));
    const left = await pollUntil(
      () =>
        withDb(async (db) => (await db.query('SELECT count(*)::int AS n FROM design_views WHERE design_id = $1', [design.id])).rows[0].n),
      (n) => n === 0,
    );
    assert.equal(left, 0, 'the cleanup job forgot the old view');
    assert.equal((await counts(owner, design.id)).viewCount, 1);
  });
});
