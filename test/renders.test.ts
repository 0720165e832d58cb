import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import {
  addLayer,
  AVATAR_MALE,
  DESIGN_URL,
  errorCode,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  share,
  snapshotKept,
  startCatalogProxy,
  startDesignSubgraph,
  subscribe,
  withDb,
  graphql,
  type TestUser,
} from './helpers';

const REQUEST = graphql(`
  mutation ($d: ID!, $s: RenderSettingsInput) {
    requestRender(designId: $d, settings: $s) {
      id
      status
      cacheHit
      renderHash
      width
      height
      format
      imageUrl
    }
  }
`);
const RENDER = graphql(`
  query ($id: ID!) {
    render(id: $id) {
      id
      status
      cacheHit
      imageUrl
      durationMs
      error
    }
  }
`);

async function completed(user: TestUser, id: string) {
  const isFinal = (r: { status: string } | null) => r?.status === 'COMPLETED' || r?.status === 'FAILED';
  const render = await pollUntil(async () => (await ok(user, RENDER, { id })).render, isFinal, 200);
  if (!isFinal(render)) throw new Error('render did not finish');
  return render;
}

describe('renders (requestRender, render cache, Design.preview)', () => {
  test('a render is queued, rendered by a worker with RENDER_UPDATED events, and downloadable through a signed URL', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    await addLayer(owner, id, { customization: { color: '#00aa00' } });
    const sub = subscribe(
      DESIGN_URL,
      owner,
      graphql(`
        subscription ($d: ID!) {
          designChanged(designId: $d) {
            type
            render {
              status
            }
          }
        }
      `),
      { d: id },
    );
    await new Promise((r) => setTimeout(r, 300));
    const { requestRender: queued } = await ok(owner, REQUEST, { d: id, s: { width: 200, height: 300, format: 'JPEG' } });
    assert.deepEqual(
      [queued.status, queued.cacheHit, queued.width, queued.height, queued.format, queued.imageUrl],
      ['QUEUED', false, 200, 300, 'JPEG', null],
    );
    const done = await completed(owner, queued.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    assert.ok(done!.durationMs! > 0);
    const image = await fetch(done!.imageUrl!);
    assert.equal(image.status, 200);
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 200, 300]);
    await sub.waitFor(2);
    assert.deepEqual(
      sub.results.filter((r) => r.data!.designChanged.type === 'RENDER_UPDATED').map((r) => r.data!.designChanged.render!.status),
      ['RENDERING', 'COMPLETED'],
    );
    await sub.close();

    assert.equal(await snapshotKept(queued.id), false, 'the state kept for the job is gone with it');

    const tampered = done!.imageUrl!.replace(/signature=[^&]+/, 'signature=forged');
    assert.equal((await fetch(tampered)).status, 403);
  });

  test('an equal request is a cache hit answered at once; the default settings give Design.preview', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await addLayer(owner, id);
    const { requestRender: first } = await ok(owner, REQUEST, { d: id });
    assert.equal((await completed(owner, first.id))!.status, 'COMPLETED');
    const { requestRender: again } = await ok(owner, REQUEST, { d: id });
    assert.deepEqual([again.status, again.cacheHit, again.renderHash], ['COMPLETED', true, first.renderHash]);
    assert.ok(again.imageUrl);
    const png = await sharp(Buffer.from(await (await fetch(again.imageUrl)).arrayBuffer())).metadata();
    assert.deepEqual([png.format, png.width, png.height], ['png', 1024, 1024]);
    const { design } = await ok(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            preview {
              id
              cacheHit
            }
          }
        }
      `),
      { d: id },
    );
    assert.equal(design!.preview!.id, again.id);
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!) {
          updateCanvasSettings(designId: $d, input: { background: { type: COLOR, value: "#123456" } }) {
            showGrid
          }
        }
      `),
      { d: id },
    );
    const { requestRender: changed } = await ok(owner, REQUEST, { d: id });
    assert.notEqual(changed.renderHash, first.renderHash, 'another state, another hash');
  });

  test('an IMAGE background is drawn, cropped to the frame, when its origin is one renders may fetch; any other draws as the default colour', async () => {
    const owner = await makeUser();
    const texture = `http://127.0.0.1:${process.env.TEST_CATALOG_PORT}/textures/${ITEM.denim}.png`;
    const stats = await sharp(Buffer.from(await (await fetch(texture)).arrayBuffer())).stats();
    const mean = stats.channels.slice(0, 3).map((c) => c.mean);
    const cornerOf = async (value: string) => {
      const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
      await ok(
        owner,
        graphql(`
          mutation ($d: ID!, $i: CanvasSettingsInput!) {
            updateCanvasSettings(designId: $d, input: $i) {
              background {
                type
              }
            }
          }
        `),
        { d: id, i: { background: { type: 'IMAGE', value } } },
      );
      const { requestRender } = await ok(owner, REQUEST, { d: id, s: { width: 160, height: 240, format: 'PNG' } });
      const done = await completed(owner, requestRender.id);
      assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
      const png = Buffer.from(await (await fetch(done!.imageUrl!)).arrayBuffer());
      // stats() reads its input, not the pipeline: the corner is cut out first.
      const corner = await sharp(png).extract({ left: 0, top: 0, width: 30, height: 30 }).png().toBuffer();
      return (await sharp(corner).stats()).channels.slice(0, 3).map((c) => c.mean);
    };
    const drawn = await cornerOf(texture);
    drawn.forEach((v, i) =>
      assert.ok(Math.abs(v - mean[i]!) < 30, `corner ${drawn.map(Math.round)} looks like the denim ${mean.map(Math.round)}`),
    );
    const refused = await cornerOf('http://169.254.169.254/latest/meta-data/background.png');
    refused.forEach((v) => assert.ok(Math.abs(v - 0xf0) < 2, `corner ${refused.map(Math.round)} is #f0f0f0`));
  });

  test('a catalog item whose data changes makes a new render instead of a stale cache hit', async () => {
    // The catalog as this design subgraph sees it: the real one, with the t-shirt's colour swapped on demand.
    let tshirtColor: string | null = null;
    const catalog = await startCatalogProxy({
      change: (item) => void (tshirtColor && item.id === ITEM.tshirt && (item.defaultColor = tshirtColor)),
    });
    const api = await startDesignSubgraph({ CATALOG_SUBGRAPH_URL: catalog.url, UPSTREAM_CACHE_TTL_MS: '0' });
    try {
      const owner = await makeUser();
      const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
      await addLayer(owner, id, { catalogItemId: ITEM.tshirt });
      const request = async () => (await gql(owner, REQUEST, { d: id, s: { width: 64, height: 64 } }, api.url)).data!.requestRender;
      const first = await request();
      assert.equal((await completed(owner, first.id))!.status, 'COMPLETED');
      assert.equal((await request()).cacheHit, true, 'nothing changed: the cached image');
      tshirtColor = '#123456';
      const afterChange = await request();
      assert.equal(afterChange.cacheHit, false);
      assert.notEqual(afterChange.renderHash, first.renderHash);
    } finally {
      await api.stop();
      await catalog.close();
    }
  });

  test('/metrics counts render requests by outcome and shows the depth of every job queue', async () => {
    const counted = async () => {
      const text = await (await fetch(DESIGN_URL.replace(/\/graphql$/, '/metrics'))).text();
      return { text, hits: Number(/^design_render_requests_total\{outcome="cache_hit"\} (\d+)$/m.exec(text)?.[1]) };
    };
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const { requestRender } = await ok(owner, REQUEST, { d: id, s: { width: 48, height: 48 } });
    await completed(owner, requestRender.id);
    const before = await counted();
    await ok(owner, REQUEST, { d: id, s: { width: 48, height: 48 } });
    const after = await counted();
    assert.equal(after.hits, before.hits + 1);
    for (const queue of ['render-design', 'export-design', 'autosave-design']) {
      assert.match(after.text, new RegExp(`^design_jobs\\{queue="${queue}",state="waiting"\\} \\d+$`, 'm'));
    }
  });

  test('render files go once no render can show them: the links turn null first, the file is removed, the next request renders again', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const { requestRender: first } = await ok(owner, REQUEST, { d: id, s: { width: 40, height: 40 } });
    const done = await completed(owner, first.id);
    const { requestRender: hit } = await ok(owner, REQUEST, { d: id, s: { width: 40, height: 40 } });
    assert.equal(hit.cacheHit, true);
    assert.equal((await fetch(done!.imageUrl!)).status, 200);
    // Thirty-one days on: the cache entry has expired and both renders are older than the cache keeps them.
    await withDb(async (db) => {
      await db.query(`UPDATE renders SET completed_at = now() - interval '31 days' WHERE design_id = $1`, [id]);
      await db.query(
        `UPDATE render_cache SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day' WHERE render_hash = $1`,
        [first.renderHash],
      );
    });
    const links = await pollUntil(
      () => Promise.all([first.id, hit.id].map(async (r) => (await ok(owner, RENDER, { id: r })).render!.imageUrl as string | null)),
      (l) => l.every((url) => url === null),
    );
    assert.deepEqual(links, [null, null]);
    // The links turn null before the file goes: the removal follows within the same clean-up run.
    assert.equal(
      await pollUntil(
        async () => (await fetch(done!.imageUrl!)).status,
        (status) => status === 404,
      ),
      404,
      'the file is gone',
    );
    const { requestRender: again } = await ok(owner, REQUEST, { d: id, s: { width: 40, height: 40 } });
    assert.equal(again.cacheHit, false);
    assert.equal((await completed(owner, again.id))!.status, 'COMPLETED');
  });

  test('renders need edit rights and sane settings', async () => {
    const owner = await makeUser();
    const viewer = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, viewer, 'VIEWER');
    assert.equal(await errorCode(viewer, REQUEST, { d: id }), 'FORBIDDEN');
    assert.equal(await errorCode(await makeUser(), REQUEST, { d: id }), 'NOT_FOUND');
    const big = await gql(owner, REQUEST, { d: id, s: { width: 5000 } });
    assert.equal(big.errors?.[0]?.extensions?.field, 'width');
  });
});
