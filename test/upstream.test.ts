import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/stack';
import {
  addLayer,
  AVATAR_MALE,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  startCatalogProxy,
  startDesignSubgraph,
  graphql,
} from './helpers';

describe('with the catalog subgraph unreachable', () => {
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  let url = '';

  before(async () => {
    api = await startDesignSubgraph({ CATALOG_SUBGRAPH_URL: `http://127.0.0.1:${await freePort()}/graphql`, UPSTREAM_TIMEOUT_MS: '500' });
    url = api.url;
  });
  after(async () => {
    await api.stop();
  });

  test('addLayer fails with UPSTREAM_UNAVAILABLE and writes nothing; reading stored designs keeps working', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await addLayer(owner, id, { catalogItemId: ITEM.cap });
    const failed = await gql(
      owner,
      `mutation($d: ID!) { addLayer(designId: $d, input: { catalogItemId: "${ITEM.tshirt}" }) { id } }`,
      { d: id },
      url,
    );
    assert.equal(failed.errors?.[0]?.extensions?.code, 'UPSTREAM_UNAVAILABLE');
    const read = await gql(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            revision
            layers {
              catalogItem {
                id
              }
            }
          }
        }
      `),
      { d: id },
      url,
    );
    assert.deepEqual(read, { data: { design: { revision: 2, layers: [{ catalogItem: { id: ITEM.cap } }] } } });
    assert.equal(
      (
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
      ).design!.revision,
      2,
    );
  });

  test('requestRender answers a render already in the cache (drawn from the last known catalog data); anything else stays UPSTREAM_UNAVAILABLE', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    await addLayer(owner, id, { catalogItemId: ITEM.cap });
    const REQUEST = graphql(`
      mutation ($d: ID!, $w: Int!) {
        requestRender(designId: $d, settings: { width: $w, height: 32 }) {
          id
          status
          cacheHit
          renderHash
        }
      }
    `);
    const RENDER = graphql(`
      query ($id: ID!) {
        render(id: $id) {
          status
        }
      }
    `);
    // Through the stack, whose catalog answers: rendered and cached.
    const first = (await ok(owner, REQUEST, { d: id, w: 32 })).requestRender;
    const done = await pollUntil(
      async () => (await ok(owner, RENDER, { id: first.id })).render,
      (r) => r?.status === 'COMPLETED' || r?.status === 'FAILED',
      300,
    );
    assert.equal(done?.status, 'COMPLETED');

    const again = await gql(owner, REQUEST, { d: id, w: 32 }, url);
    assert.equal(again.errors, undefined, JSON.stringify(again.errors));
    assert.deepEqual(
      {
        status: again.data!.requestRender.status,
        cacheHit: again.data!.requestRender.cacheHit,
        hash: again.data!.requestRender.renderHash,
      },
      { status: 'COMPLETED', cacheHit: true, hash: first.renderHash },
    );
    const other = await gql(owner, REQUEST, { d: id, w: 48 }, url);
    assert.equal(other.errors?.[0]?.extensions?.code, 'UPSTREAM_UNAVAILABLE');
  });
});

describe('with a slow catalog subgraph', () => {
  test('addLayer does not hold the design while the catalog answers: an edit in the meantime goes through first', async () => {
    const catalog = await startCatalogProxy({ delayMs: 1500 });
    const api = await startDesignSubgraph({ CATALOG_SUBGRAPH_URL: catalog.url, UPSTREAM_CACHE_TTL_MS: '0' });
    try {
      const owner = await makeUser();
      const { id } = await makeDesign(owner);
      const finished: string[] = [];
      const adding = gql(
        owner,
        `mutation($d: ID!) { addLayer(designId: $d, input: { catalogItemId: "${ITEM.cap}" }) { id } }`,
        { d: id },
        api.url,
      ).then((result) => finished.push(result.errors ? `addLayer failed: ${JSON.stringify(result.errors)}` : 'addLayer'));
      await new Promise((r) => setTimeout(r, 300));
      const renamed = await gql(
        owner,
        graphql(`
          mutation ($d: ID!) {
            updateDesign(id: $d, input: { name: "Renamed meanwhile" }) {
              revision
            }
          }
        `),
        { d: id },
        api.url,
      );
      finished.push(renamed.errors ? 'updateDesign failed' : 'updateDesign');
      await adding;
      assert.deepEqual(finished, ['updateDesign', 'addLayer']);
      const { design } = await ok(
        owner,
        graphql(`
          query ($d: ID!) {
            design(id: $d) {
              name
              revision
              layers {
                catalogItem {
                  id
                }
              }
            }
          }
        `),
        { d: id },
      );
      assert.deepEqual(design, { name: 'Renamed meanwhile', revision: 3, layers: [{ catalogItem: { id: ITEM.cap } }] });
    } finally {
      await api.stop();
      await catalog.close();
    }
  });
});
