import type { ResultOf } from 'gql.tada';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { AVATAR_FEMALE, errorCode, gql, makeDesign, makeUser, ok, withDb, graphql } from './helpers';

const CREATE = graphql(`
  mutation ($input: CreateDesignInput!) {
    createDesign(input: $input) {
      id
      name
      revision
      version
      status
      visibility
      tags
      avatar {
        id
      }
      canvas {
        camera {
          position {
            x
            y
            z
          }
          target {
            y
          }
          fov
        }
        lighting {
          preset
          intensity
        }
        background {
          type
          value
        }
        gridSize
        renderQuality
        antialiasing
        shadows
      }
    }
  }
`);

describe('designs', () => {
  test('[O1] createDesign stores the design with the contract defaults, revision 1 and one change-log entry', async () => {
    const owner = await makeUser();
    const { createDesign: d } = await ok(owner, CREATE, {
      input: { name: 'Summer look', tags: ['summer', 'linen'], avatarId: AVATAR_FEMALE },
    });
    assert.equal(d.revision, 1);
    assert.equal(d.version, 1);
    assert.equal(d.status, 'DRAFT');
    assert.equal(d.visibility, 'PRIVATE');
    assert.deepEqual(d.avatar, { id: AVATAR_FEMALE });
    assert.deepEqual(d.canvas.camera, { position: { x: 0, y: 1.6, z: 3 }, target: { y: 1 }, fov: 50 });
    assert.deepEqual(d.canvas.lighting, { preset: 'STUDIO', intensity: 1 });
    assert.deepEqual(d.canvas.background, { type: 'COLOR', value: '#f0f0f0' });
    assert.equal(d.canvas.gridSize, 10);
    assert.equal(d.canvas.renderQuality, 'STANDARD');
    const history = await withDb((db) => db.query('SELECT revision, action, actor_id FROM design_history WHERE design_id = $1', [d.id]));
    assert.deepEqual(history.rows, [{ revision: 1, action: 'DESIGN_CREATED', actor_id: owner.id }]);
  });

  test('createDesign with a client id is idempotent; the same id with another payload is a CONFLICT', async () => {
    const owner = await makeUser();
    const id = randomUUID();
    const first = await ok(owner, CREATE, { input: { id, name: 'Retry me' } });
    const again = await ok(owner, CREATE, { input: { id, name: 'Retry me' } });
    assert.equal(again.createDesign.id, first.createDesign.id);
    assert.equal(again.createDesign.revision, 1);
    assert.equal(await errorCode(owner, CREATE, { input: { id, name: 'Something else' } }), 'CONFLICT');
    assert.equal(await errorCode(await makeUser(), CREATE, { input: { id, name: 'Retry me' } }), 'CONFLICT');
    const count = await withDb((db) => db.query('SELECT count(*)::int AS n FROM designs WHERE id = $1', [id]));
    assert.equal(count.rows[0].n, 1);
  });

  test("createDesign refuses an unknown avatar and another user's private avatar", async () => {
    const owner = await makeUser();
    assert.equal(await errorCode(owner, CREATE, { input: { name: 'x', avatarId: 'avatar-nope' } }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(owner, CREATE, { input: { name: 'x', avatarId: 'avatar-male-tall' } }), 'BAD_USER_INPUT');
  });

  test('the free tier stops at 10 designs with LIMIT_EXCEEDED and writes nothing more', async () => {
    const free = await makeUser('free');
    await Promise.all(Array.from({ length: 12 }, (_, i) => gql(free, CREATE, { input: { name: `d${i}` } })));
    const count = await withDb((db) => db.query('SELECT count(*)::int AS n FROM designs WHERE owner_id = $1', [free.id]));
    assert.equal(count.rows[0].n, 10);
    assert.equal(await errorCode(free, CREATE, { input: { name: 'one too many' } }), 'LIMIT_EXCEEDED');
  });

  test('[O1] [C1] updateDesign changes fields, bumps the revision once, and a stale expectedRevision is a CONFLICT with the current revision', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const UPDATE = graphql(`
      mutation ($id: ID!, $input: UpdateDesignInput!, $rev: Int) {
        updateDesign(id: $id, input: $input, expectedRevision: $rev) {
          name
          tags
          revision
        }
      }
    `);
    const { updateDesign } = await ok(owner, UPDATE, { id, input: { name: 'Renamed', tags: ['x'] }, rev: 1 });
    assert.deepEqual(updateDesign, { name: 'Renamed', tags: ['x'], revision: 2 });
    const stale = await gql(owner, UPDATE, { id, input: { name: 'Again' }, rev: 1 });
    assert.equal(stale.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal(stale.errors?.[0]?.extensions?.currentRevision, 2);
    const history = await withDb((db) => db.query('SELECT data FROM design_history WHERE design_id = $1 AND revision = 2', [id]));
    assert.deepEqual(history.rows[0].data, {
      before: { name: history.rows[0].data.before.name, tags: [] },
      after: { name: 'Renamed', tags: ['x'] },
    });
  });

  test('updateDesign: null leaves a field that cannot be empty as it is, and clears one that can', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { name: 'Keep', tags: ['t'], description: 'Drop me' });
    const { updateDesign } = await ok(
      owner,
      graphql(`
        mutation ($id: ID!, $input: UpdateDesignInput!) {
          updateDesign(id: $id, input: $input) {
            name
            tags
            visibility
            description
            revision
          }
        }
      `),
      {
        id,
        input: { name: null, tags: null, visibility: null, description: null },
      },
    );
    assert.deepEqual(updateDesign, { name: 'Keep', tags: ['t'], visibility: 'PRIVATE', description: null, revision: 2 });
  });

  test('publish, archive and delete; a deleted design is gone for everyone', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'PUBLIC' });
    const published = await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          publishDesign(id: $id) {
            status
            publishedAt
            revision
          }
        }
      `),
      { id },
    );
    assert.equal(published.publishDesign.status, 'PUBLISHED');
    assert.ok(published.publishDesign.publishedAt);
    const anonymous = await ok(
      null,
      graphql(`
        query ($id: ID!) {
          design(id: $id) {
            id
            viewerRole
          }
        }
      `),
      { id },
    );
    assert.deepEqual(anonymous.design, { id, viewerRole: null });
    const archived = await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          archiveDesign(id: $id) {
            status
          }
        }
      `),
      { id },
    );
    assert.equal(archived.archiveDesign.status, 'ARCHIVED');
    assert.equal(
      (
        await ok(
          null,
          graphql(`
            query ($id: ID!) {
              design(id: $id) {
                id
              }
            }
          `),
          { id },
        )
      ).design,
      null,
    );
    assert.equal(
      (
        await ok(
          owner,
          graphql(`
            mutation ($id: ID!) {
              deleteDesign(id: $id)
            }
          `),
          { id },
        )
      ).deleteDesign,
      true,
    );
    assert.equal(
      (
        await ok(
          owner,
          graphql(`
            query ($id: ID!) {
              design(id: $id) {
                id
              }
            }
          `),
          { id },
        )
      ).design,
      null,
    );
    assert.equal(await errorCode(owner, `mutation($id: ID!) { deleteDesign(id: $id) }`, { id }), 'NOT_FOUND');
  });

  test('designs() pages with opaque cursors in a stable order, with totalCount, filters and scopes', async () => {
    const owner = await makeUser();
    const tag = `t${randomUUID().slice(0, 6)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await makeDesign(owner, { name: `Page ${i}`, tags: [tag, i % 2 ? 'odd' : 'even'] })).id);
    const LIST = graphql(`
      query ($after: String, $filter: DesignFilter, $order: DesignOrder) {
        designs(first: 2, after: $after, filter: $filter, orderBy: $order) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              name
            }
          }
        }
      }
    `);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { designs }: ResultOf<typeof LIST> = await ok(owner, LIST, { after, filter: { tags: [tag] } });
      assert.equal(designs.totalCount, 5);
      seen.push(...designs.edges.map((e) => e.node.id));
      if (!designs.pageInfo.hasNextPage) break;
      after = designs.pageInfo.endCursor;
    }
    assert.deepEqual(seen, [...ids].reverse());
    const byName = await ok(owner, LIST, { filter: { tags: [tag, 'odd'] }, order: 'NAME_ASC' });
    assert.deepEqual(
      byName.designs.edges.map((e) => e.node.name),
      ['Page 1', 'Page 3'],
    );
    const search = await ok(owner, LIST, { filter: { search: 'page 4', tags: [tag] } });
    assert.equal(search.designs.totalCount, 1);
    const stranger = await makeUser();
    assert.equal((await ok(stranger, LIST, { filter: { tags: [tag] } })).designs.totalCount, 0);
    assert.equal((await ok(stranger, LIST, { filter: { tags: [tag], scope: 'PUBLIC' } })).designs.totalCount, 0);
    assert.equal(await errorCode(owner, LIST, { after: 'garbage' }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(null, LIST, {}), 'UNAUTHENTICATED');
  });

  test('SHARED_WITH_ME lists designs shared with the caller, not their own', async () => {
    const owner = await makeUser();
    const guest = await makeUser();
    const { id } = await makeDesign(owner);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          addCollaborator(designId: $d, userId: $u, role: VIEWER) {
            role
          }
        }
      `),
      {
        d: id,
        u: guest.id,
      },
    );
    await makeDesign(guest);
    const { designs } = await ok(
      guest,
      graphql(`
        {
          designs(filter: { scope: SHARED_WITH_ME }) {
            totalCount
            edges {
              node {
                id
                viewerRole
              }
            }
          }
        }
      `),
    );
    assert.deepEqual(
      designs.edges.map((e) => e.node),
      [{ id, viewerRole: 'VIEWER' }],
    );
  });
});
