import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';
import { type RendererName } from '../src/config';
import { startRenderer } from '../src/render/create-renderer';
import { REFERENCE_HEIGHT, type SceneInput } from '../src/render/scene-input';
import type { Stack } from '../scripts/stack';
import { runBench, withBenchStack } from './bench-stack';

/**
 * npm run bench:render — for each renderer: start, cold and warm 1024² frames in this process;
 * then, with the workers on that renderer, the first render through the API, a render-cache hit
 * and a 1280x720 6 s 30 fps turntable MP4 end to end.
 */
const LAYERS = ['item-silhouette-t-shirt', 'item-silhouette-trousers', 'item-accessory-cap', 'item-accessory-sneakers'];
const RENDERERS: RendererName[] = ['chromium', 'gl'];

function benchScene(stack: Stack): SceneInput {
  const catalog = `http://127.0.0.1:${stack.ports.catalog}`;
  const state = {
    revision: 1,
    design: { name: 'bench', description: null, avatarId: 'avatar-male-standard', category: null, tags: [], occasions: [], seasons: [] },
    layers: LAYERS.map((catalogItemId, order) => ({
      id: randomUUID(),
      type: 'SILHOUETTE',
      name: null,
      order,
      catalogItemId,
      groupId: null,
      transform: { position: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0 }, scale: { x: 1, y: 1, z: 1 } },
      customization: { color: null, materialItemId: null, textureScale: 1, roughness: null, metalness: null, extra: null },
      visible: true,
      locked: false,
      blendMode: 'NORMAL',
      opacity: 100,
      notes: null,
    })),
    layerGroups: [],
    canvas: {
      camera: { position: { x: 0, y: 1.6, z: 3 }, target: { x: 0, y: 1, z: 0 }, fov: 50 },
      lighting: { preset: 'STUDIO', intensity: 1 },
      background: { type: 'COLOR', value: '#f0f0f0' },
      showGrid: true,
      showGuides: false,
      snapToGrid: false,
      gridSize: 10,
      renderQuality: 'STANDARD',
      antialiasing: true,
      shadows: true,
      ambientOcclusion: false,
    },
  } as unknown as SceneInput['state'];
  return {
    state,
    backgroundImageUrl: null,
    avatar: {
      modelUrl: `http://127.0.0.1:${stack.ports.avatar}/models/avatar-male-standard.glb`,
      height: 1.8,
      itemScale: 1.8 / REFERENCE_HEIGHT,
    },
    items: Object.fromEntries(
      LAYERS.map((id) => [
        id,
        { id, type: 'SILHOUETTE', modelUrl: `${catalog}/models/${id}.glb`, textureUrl: null, defaultColor: '#999999' },
      ]),
    ),
    settings: { width: 1024, height: 1024, transparentBackground: false },
  };
}

/** Start, cold and warm frames of one renderer in this process; false when it cannot run here. */
async function frames(name: RendererName, input: SceneInput, stack: Stack): Promise<boolean> {
  let t = performance.now();
  // The models come from this stack's subgraphs, on ports of its own.
  const config = loadConfig({ ...process.env, AVATAR_SUBGRAPH_URL: stack.urls.avatar, CATALOG_SUBGRAPH_URL: stack.urls.catalog });
  const renderer = await startRenderer(name, config.renderer).catch((error: Error) => error);
  if (renderer instanceof Error) {
    console.log(`${name}: not available here (${renderer.message})`);
    return false;
  }
  const launch = performance.now() - t;
  t = performance.now();
  await renderer.render(input);
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    await renderer.render(input);
    warm.push(performance.now() - t);
  }
  await renderer.close();
  warm.sort((a, b) => a - b);
  console.log(
    `${name}: start ${launch.toFixed(0)} ms, cold 1024² frame ${cold.toFixed(0)} ms (with model loading), warm median ${warm[5]!.toFixed(0)} ms, range ${warm[0]!.toFixed(0)}-${warm.at(-1)!.toFixed(0)} ms (PNG)`,
  );
  return true;
}

async function throughTheApi(name: RendererName, stack: Stack): Promise<void> {
  const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, randomUUID(), 'pro');
  const call = async (query: string, variables: Record<string, unknown>) =>
    (
      (await (
        await fetch(stack.urls.design, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as { data: any }
    ).data;
  const { createDesign } = await call(`mutation { createDesign(input: { name: "bench", avatarId: "avatar-male-standard" }) { id } }`, {});
  for (const catalogItemId of LAYERS)
    await call(`mutation($d: ID!, $i: ID!) { addLayer(designId: $d, input: { catalogItemId: $i }) { id } }`, {
      d: createDesign.id,
      i: catalogItemId,
    });
  let t = performance.now();
  const { requestRender } = await call(`mutation($d: ID!) { requestRender(designId: $d) { id } }`, { d: createDesign.id });
  for (;;) {
    const { render } = await call(`query($id: ID!) { render(id: $id) { status } }`, { id: requestRender.id });
    if (render.status === 'COMPLETED' || render.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const queued = performance.now() - t;
  const hits: number[] = [];
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    const { requestRender: hit } = await call(`mutation($d: ID!) { requestRender(designId: $d) { cacheHit } }`, { d: createDesign.id });
    if (!hit.cacheHit) throw new Error('expected a cache hit');
    hits.push(performance.now() - t);
  }
  hits.sort((a, b) => a - b);
  console.log(
    `${name} workers: first 1024² render through the API (queue, worker start, encode, store) ${queued.toFixed(0)} ms; cache hit median ${hits[5]!.toFixed(1)} ms, max ${hits.at(-1)!.toFixed(1)} ms`,
  );

  t = performance.now();
  const { exportDesign } = await call(`mutation($d: ID!) { exportDesign(designId: $d, input: { type: VIDEO, format: MP4 }) { id } }`, {
    d: createDesign.id,
  });
  let video: { status: string; fileSize: number; error: string | null };
  for (;;) {
    video = (await call(`query($id: ID!) { export(id: $id) { status fileSize error } }`, { id: exportDesign.id })).export;
    if (video.status === 'COMPLETED' || video.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(
    `${name} workers: turntable 1280x720, 6 s at 30 fps (180 frames), MP4 end to end ${((performance.now() - t) / 1000).toFixed(1)} s, ${video.status}, ${(video.fileSize / 1024).toFixed(0)} KB${video.error ? ` (${video.error})` : ''}`,
  );
}

async function main() {
  for (const name of RENDERERS) {
    await withBenchStack(
      async (stack) => {
        if (await frames(name, benchScene(stack), stack)) await throughTheApi(name, stack);
      },
      { RENDERER: name },
    );
  }
}

runBench(main);
