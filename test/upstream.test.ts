import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/stack';
import { addLayer, gql, ITEM, makeDesign, makeUser, ok, startCatalogProxy, startDesignSubgraph, graphql } from './helpers';

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
