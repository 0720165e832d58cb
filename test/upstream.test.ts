import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/stack';
import { addLayer, gql, ITEM, makeDesign, makeUser, ok } from './helpers';

describe('with the catalog subgraph unreachable', () => {
  let url = '';
  const child = { process: null as ReturnType<typeof spawn> | null };

  before(async () => {
    const [port, deadPort] = [await freePort(), await freePort()];
    child.process = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
      env: { ...process.env, PORT: String(port), CATALOG_SUBGRAPH_URL: `http://127.0.0.1:${deadPort}/graphql`, UPSTREAM_TIMEOUT_MS: '500' },
      stdio: 'ignore',
    });
    url = `http://127.0.0.1:${port}/graphql`;
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('second design subgraph did not start');
  });
  after(() => {
    child.process?.kill('SIGTERM');
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
