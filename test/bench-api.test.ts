import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode } from '../bench/api/client';
import { openLoop } from '../bench/api/load';
import { startPostGraphile, type PostGraphileServer } from '../bench/api/postgraphile';
import { OUR_READ, POSTGRAPHILE_READ, summarizeOurs, summarizePostGraphile } from '../bench/api/queries';
import { addLayer, DESIGN_URL, gql, ITEM, makeDesign, makeUser, ok, share, AVATAR_MALE } from './helpers';

/** The API benchmark's harness (npm run bench:api) reads right; its figures are never asserted on. */
describe('API benchmark harness', () => {
  let postgraphile: PostGraphileServer;
  before(async () => {
    postgraphile = await startPostGraphile(process.env.DATABASE_URL!, 2);
  });
  after(() => postgraphile.stop());

  test('PostGraphile 4 runs on our migrations and its read answers the same data as ours (layer order, groups, canvas, collaborators)', async () => {
    const owner = await makeUser('pro');
    const design = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const layers = [];
    for (const catalogItemId of [ITEM.tshirt, ITEM.trousers, ITEM.cap])
      layers.push((await addLayer(owner, design.id, { catalogItemId })).id);
    await addLayer(owner, design.id, { catalogItemId: ITEM.belt, order: 0 });
    await ok(owner, `mutation($d: ID!, $l: [ID!]!) { groupLayers(designId: $d, layerIds: $l, name: "g") { id } }`, {
      d: design.id,
      l: layers.slice(0, 2),
    });
    await ok(owner, `mutation($d: ID!) { updateCanvasSettings(designId: $d, input: { camera: { fov: 33 } }) { gridSize } }`, {
      d: design.id,
    });
    await share(owner, design.id, await makeUser('free'), 'EDITOR');

    const ours = await gql(owner, OUR_READ, { id: design.id });
    assert.equal(ours.errors, undefined);
    const theirs = await fetch(postgraphile.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: POSTGRAPHILE_READ, variables: { id: design.id } }),
    });
    const a = summarizeOurs(JSON.stringify(ours));
    const b = summarizePostGraphile(await theirs.text());
    assert.equal(a.layerIds.length, 4);
    assert.equal(a.groupIds.length, 1);
    assert.equal(a.collaboratorIds.length, 2); // the owner is one
    assert.equal(a.cameraFov, 33);
    assert.deepEqual(b, a);
  });

  test('the fixed-rate load sends every request once and counts errors by GraphQL code', async () => {
    const result = await openLoop(
      {
        url: DESIGN_URL,
        headers: { 'content-type': 'application/json', authorization: 'Bearer nonsense' },
        body: '{"query":"{__typename}"}',
      },
      20,
      0.5,
    );
    assert.equal(result.requests, 10);
    assert.deepEqual(result.errors, { UNAUTHENTICATED: 10 });
  });

  test('error codes: none for data, the GraphQL code, or the HTTP status of a body that is not GraphQL', () => {
    assert.equal(errorCode(200, '{"data":{"design":null}}'), null);
    assert.equal(errorCode(200, '{"errors":[{"message":"x","extensions":{"code":"CONFLICT"}}],"data":null}'), 'CONFLICT');
    assert.equal(errorCode(400, '{"errors":[{"message":"x"}]}'), 'UNKNOWN');
    assert.equal(errorCode(502, 'Bad Gateway'), 'HTTP 502');
  });
});
