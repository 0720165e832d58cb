import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/stack';
import { addLayer, gql, ITEM, makeDesign, makeUser, ok, startDesignSubgraph } from './helpers';

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
    const failed = await gql(owner, `mutation($d: ID!) { addLayer(designId: $d, input: { catalogItemId: "${ITEM.tshirt}" }) { id } }`, { d: id }, url);
    assert.equal(failed.errors?.[0]?.extensions?.code, 'UPSTREAM_UNAVAILABLE');
    const read = await gql(owner, `query($d: ID!) { design(id: $d) { revision layers { catalogItem { id } } } }`, { d: id }, url);
    assert.deepEqual(read, { data: { design: { revision: 2, layers: [{ catalogItem: { id: ITEM.cap } }] } } });
    assert.equal((await ok(owner, `query($d: ID!) { design(id: $d) { revision } }`, { d: id })).design.revision, 2);
  });
});
