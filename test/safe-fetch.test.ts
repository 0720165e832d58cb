import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { addressRange, safeFetch, UrlRefusedError, type FetchPolicy } from '../src/net/safe-fetch';
import { loadConfig } from '../src/config';
import { startRenderer } from '../src/render/create-renderer';
import { createNodeSceneAssets } from '../src/render/node-scene-assets';
import type { SceneInput } from '../src/render/scene-input';
import { loadThree } from '../src/three/load-three';
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
  type TestUser,
} from './helpers';
import { sampleState } from './snapshot-store.contract';

const TIMEOUT = { timeout: 60_000 };

interface TestServer {
  origin: string;
  /** The paths asked for, in order. */
  hits: string[];
}

/** An HTTP server on a free 127.0.0.1 port, closed (open connections too) after the test. */
async function serve(t: TestContext, handler: RequestListener): Promise<TestServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const redirectTo =
  (location: (path: string) => string): RequestListener =>
  (req, res) =>
    res.writeHead(302, { location: location(req.url ?? '/') }).end();

const answer =
  (body: string | Buffer, contentType = 'text/plain'): RequestListener =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': contentType }).end(body);

/** glTF JSON of one point whose position is read from the file at `uri`. */
const gltfNaming = (uri: string) =>
  JSON.stringify({
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, mode: 0 }] }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 1, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] }],
    bufferViews: [{ buffer: 0, byteLength: 12 }],
    buffers: [{ uri, byteLength: 12 }],
  });

/** The same as a GLB: header, then the JSON chunk padded to 4 bytes. */
function glbNaming(uri: string): Buffer {
  const gltf = gltfNaming(uri);
  const json = Buffer.from(gltf.padEnd(Math.ceil(gltf.length / 4) * 4, ' '));
  const glb = Buffer.alloc(20 + json.length);
  glb.writeUInt32LE(0x46546c67, 0); // "glTF"
  glb.writeUInt32LE(2, 4);
  glb.writeUInt32LE(glb.length, 8);
  glb.writeUInt32LE(json.length, 12);
  glb.writeUInt32LE(0x4e4f534a, 16); // "JSON"
  json.copy(glb, 20);
  return glb;
}

function policy(origins: string[], overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return { origins, privateOrigins: origins, timeoutMs: 5000, maxBytes: 1024, ...overrides };
}

async function refusal(fetching: Promise<unknown>): Promise<string> {
  const error = await fetching.then(
    () => assert.fail('fetched'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UrlRefusedError, `a refusal, got ${String(error)}`);
  return error.message;
}

describe('safe fetch of asset URLs (allowlist, redirects, addresses, size)', () => {
  test('a redirect within the allowlist is followed, relative or absolute', TIMEOUT, async (t) => {
    const file = await serve(t, answer('the model', 'model/gltf-binary'));
    const hop = await serve(
      t,
      redirectTo(() => `${file.origin}/models/a.glb`),
    );
    const first = await serve(
      t,
      redirectTo((path) => (path === '/start' ? '/next' : `${hop.origin}/go`)),
    );
    const fetched = await safeFetch(`${first.origin}/start`, policy([first.origin, hop.origin, file.origin]));
    assert.equal(fetched.body.toString(), 'the model');
    assert.equal(fetched.contentType, 'model/gltf-binary');
    assert.deepEqual([first.hits, hop.hits, file.hits], [['/start', '/next'], ['/go'], ['/models/a.glb']]);
  });

  test(
    'an allowlisted origin redirecting to a loopback port off the allowlist is refused before anything is sent there',
    TIMEOUT,
    async (t) => {
      const internal = await serve(t, answer('secrets'));
      const allowed = await serve(
        t,
        redirectTo(() => `${internal.origin}/internal-admin`),
      );
      const message = await refusal(safeFetch(`${allowed.origin}/models/a.glb`, policy([allowed.origin])));
      assert.equal(
        message,
        `refused ${internal.origin}/internal-admin (redirected from ${allowed.origin}/models/a.glb): ${internal.origin} is not an origin the workers may fetch from (ASSET_ORIGINS, RENDER_IMAGE_ORIGINS)`,
      );
      assert.deepEqual(internal.hits, []);
      assert.match(await refusal(safeFetch(`${internal.origin}/internal-admin`, policy([allowed.origin]))), /is not an origin/);
      assert.deepEqual(internal.hits, []);
    },
  );

  test('a host on a private or loopback address is refused unless its origin is in ASSET_PRIVATE_ORIGINS', TIMEOUT, async (t) => {
    const server = await serve(t, answer('texture'));
    const { port } = new URL(server.origin);
    // localhost resolves to 127.0.0.1: the check is on what a name resolves to, not on the name.
    const byName = `http://localhost:${port}`;
    assert.match(
      await refusal(safeFetch(`${byName}/t.png`, policy([byName], { privateOrigins: [] }))),
      /^refused http:\/\/localhost:\d+\/t\.png: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address: only origins in ASSET_PRIVATE_ORIGINS may be$/,
    );
    assert.match(
      await refusal(safeFetch(`${server.origin}/t.png`, policy([server.origin], { privateOrigins: [] }))),
      /: 127\.0\.0\.1 is a loopback address: only origins in ASSET_PRIVATE_ORIGINS may be$/,
    );
    assert.deepEqual(server.hits, []);
    assert.equal((await safeFetch(`${byName}/t.png`, policy([byName]))).body.toString(), 'texture');
  });

  test('addresses are judged by ipaddr.js ranges: only public unicast passes, IPv4-mapped IPv6 as its IPv4', () => {
    const ranges = Object.fromEntries(
      [
        '8.8.8.8',
        '2606:4700:4700::1111',
        '10.1.2.3',
        '172.16.0.1',
        '192.168.1.1',
        '127.0.0.1',
        '169.254.169.254',
        '0.0.0.0',
        '100.64.0.1',
        '224.0.0.1',
        '255.255.255.255',
        '::1',
        '::',
        'fe80::1',
        'fd12:3456::1',
        'ff02::1',
        '::ffff:127.0.0.1',
        '::ffff:10.0.0.1',
        '64:ff9b::a00:1',
      ].map((address) => [address, addressRange(address)]),
    );
    assert.deepEqual(ranges, {
      '8.8.8.8': 'unicast',
      '2606:4700:4700::1111': 'unicast',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '192.168.1.1': 'private',
      '127.0.0.1': 'loopback',
      '169.254.169.254': 'linkLocal',
      '0.0.0.0': 'unspecified',
      '100.64.0.1': 'carrierGradeNat',
      '224.0.0.1': 'multicast',
      '255.255.255.255': 'broadcast',
      '::1': 'loopback',
      '::': 'unspecified',
      'fe80::1': 'linkLocal',
      'fd12:3456::1': 'uniqueLocal',
      'ff02::1': 'multicast',
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:10.0.0.1': 'private',
      '64:ff9b::a00:1': 'rfc6052',
    });
  });

  test('an answer larger than ASSET_MAX_BYTES is refused, announced or not', TIMEOUT, async (t) => {
    const big = Buffer.alloc(2048, 1);
    const announced = await serve(t, answer(big));
    const chunked = await serve(t, (_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 8; i++) res.write(big.subarray(0, 256));
      res.end();
    });
    for (const server of [announced, chunked]) {
      assert.match(
        await refusal(safeFetch(`${server.origin}/big`, policy([server.origin]))),
        /: the answer is larger than 1024 bytes \(ASSET_MAX_BYTES\)$/,
      );
    }
    assert.equal((await safeFetch(`${announced.origin}/big`, policy([announced.origin], { maxBytes: 2048 }))).body.length, 2048);
  });

  test('only http and https, also after a redirect', TIMEOUT, async (t) => {
    const server = await serve(
      t,
      redirectTo(() => 'file:///etc/passwd'),
    );
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hello', 'gopher://127.0.0.1:6379/_INFO']) {
      assert.match(await refusal(safeFetch(url, policy([server.origin]))), /only http and https are fetched, not [a-z]+:$/);
    }
    assert.match(
      await refusal(safeFetch(`${server.origin}/x`, policy([server.origin]))),
      /^refused file:\/\/\/etc\/passwd \(redirected from .*\): only http and https are fetched, not file:$/,
    );
  });

  test('more than five redirects are refused; a slow or failing answer is an error that may be retried', TIMEOUT, async (t) => {
    const loop = await serve(
      t,
      redirectTo((path) => `/${Number(path.slice(1)) + 1}`),
    );
    assert.match(await refusal(safeFetch(`${loop.origin}/0`, policy([loop.origin]))), /more than 5 redirects$/);
    assert.deepEqual(loop.hits, ['/0', '/1', '/2', '/3', '/4', '/5']);

    const silent = await serve(t, () => undefined);
    const slow = await safeFetch(`${silent.origin}/x`, policy([silent.origin], { timeoutMs: 300 })).catch((e: Error) => e);
    assert.ok(!(slow instanceof UrlRefusedError) && slow instanceof Error);
    assert.equal(slow.message, `${silent.origin}/x: no complete answer within 300 ms`);

    const missing = await serve(t, (_req, res) => res.writeHead(404).end());
    const notFound = await safeFetch(`${missing.origin}/x`, policy([missing.origin])).catch((e: Error) => e);
    assert.ok(!(notFound instanceof UrlRefusedError) && notFound instanceof Error);
    assert.equal(notFound.message, `${missing.origin}/x: HTTP 404`);
  });

  test('a model naming a file outside itself is refused before GLTFLoader could fetch it', TIMEOUT, async (t) => {
    const internal = await serve(t, answer('secrets'));
    const outside = `${internal.origin}/secret.bin`;
    const catalog = await serve(t, (req, res) => res.end(req.url === '/model.gltf' ? gltfNaming(outside) : glbNaming(outside)));
    const assets = await createNodeSceneAssets(await loadThree(), policy([catalog.origin, internal.origin]));
    for (const file of ['model.glb', 'model.gltf']) {
      assert.equal(
        await refusal(assets.loadModel(`${catalog.origin}/${file}`)),
        `refused ${catalog.origin}/${file}: the model refers to ${outside} outside its file`,
      );
    }
    assert.deepEqual(internal.hits, []);
  });

  test('the chromium page reaches nothing but its own server, and a refusal there fails the render with its reason', TIMEOUT, async (t) => {
    const internal = await serve(t, answer('secrets'));
    const catalog = await serve(t, answer(glbNaming(`${internal.origin}/secret.bin`), 'model/gltf-binary'));
    const renderer = await startRenderer('chromium', { ...loadConfig().renderer, assets: policy([catalog.origin]) });
    t.after(() => renderer.close());
    const input: SceneInput = {
      state: sampleState(1),
      backgroundImageUrl: null,
      avatar: { modelUrl: `${catalog.origin}/avatar.glb`, height: 1.7, itemScale: 1 },
      items: {},
      settings: { width: 16, height: 16, transparentBackground: false },
    };
    assert.equal(
      await refusal(renderer.render(input)),
      `refused ${internal.origin}/secret.bin: the render page loads only from its own server (a model may not name files outside itself)`,
    );
    const offTheList = { ...input, avatar: { ...input.avatar!, modelUrl: `${internal.origin}/internal-admin` } };
    assert.match(await refusal(renderer.render(offTheList)), /^refused http:\/\/127\.0\.0\.1:\d+\/internal-admin: .* is not an origin/);
    assert.deepEqual(internal.hits, []);
  });
});

const REQUEST = `mutation($d: ID!, $s: RenderSettingsInput) { requestRender(designId: $d, settings: $s) { id status } }`;
const RENDER = `query($id: ID!) { render(id: $id) { status error } }`;
const EXPORT = `mutation($d: ID!, $i: ExportInput!) { exportDesign(designId: $d, input: $i) { id } }`;
const EXPORT_STATUS = `query($id: ID!) { export(id: $id) { status error } }`;

interface Outcome {
  status: string;
  error: string | null;
}

const isFinal = (o: Outcome) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(o.status);

describe('asset URLs from the catalog are fetched only from the allowlist', () => {
  test('a render and a model export whose catalog item points off the allowlist fail at once with the reason', TIMEOUT, async (t) => {
    const internal = await serve(t, answer('secrets'));
    const modelUrl = `${internal.origin}/internal-admin`;
    // The catalog as this design subgraph sees it: the t-shirt's model moved to an internal address.
    const catalog = await startCatalogProxy({ change: (item) => void (item.id === ITEM.tshirt && (item.modelUrl = modelUrl)) });
    t.after(() => catalog.close());
    const api = await startDesignSubgraph({ CATALOG_SUBGRAPH_URL: catalog.url, UPSTREAM_CACHE_TTL_MS: '0' });
    t.after(() => api.stop());

    const owner: TestUser = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    await addLayer(owner, id, { catalogItemId: ITEM.tshirt });
    const call = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const result = await gql<T>(owner, query, variables, api.url);
      assert.equal(result.errors, undefined);
      return result.data!;
    };
    const { requestRender } = await call<{ requestRender: { id: string; status: string } }>(REQUEST, {
      d: id,
      s: { width: 32, height: 32 },
    });
    const { exportDesign } = await call<{ exportDesign: { id: string } }>(EXPORT, { d: id, i: { type: 'MODEL', format: 'GLB' } });

    const render = await pollUntil(
      async () => (await ok<{ render: Outcome }>(owner, RENDER, { id: requestRender.id })).render,
      isFinal,
      300,
    );
    const exported = await pollUntil(
      async () => (await ok<{ export: Outcome }>(owner, EXPORT_STATUS, { id: exportDesign.id })).export,
      isFinal,
      300,
    );
    // No "attempt n failed": a refusal is final at the first attempt.
    const reason = `refused ${modelUrl}: ${internal.origin} is not an origin the workers may fetch from (ASSET_ORIGINS, RENDER_IMAGE_ORIGINS)`;
    assert.deepEqual(render, { status: 'FAILED', error: reason });
    assert.deepEqual(exported, { status: 'FAILED', error: reason });
    assert.deepEqual(internal.hits, []);
  });
});
