import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Box3, Object3D } from 'three';
import sharp from 'sharp';
import { loadThree } from '../src/three/load-three';

const CATALOG_URL = `http://127.0.0.1:${process.env.TEST_CATALOG_PORT}/graphql`;
const AVATAR_URL = `http://127.0.0.1:${process.env.TEST_AVATAR_PORT}/graphql`;

async function query<T>(url: string, q: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q }),
  });
  return ((await response.json()) as { data: T }).data;
}

async function loadGlb(url: string): Promise<{ scene: Object3D; box: Box3 }> {
  const THREE = await loadThree();
  const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  const gltf = await new GLTFLoader().parseAsync(await response.arrayBuffer(), '');
  return { scene: gltf.scene, box: new THREE.Box3().setFromObject(gltf.scene) };
}

const near = (actual: number, expected: number, tolerance: number, label: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual.toFixed(3)} is not within ${tolerance} of ${expected}`);

describe('development avatar and catalog assets', () => {
  test('each avatar is a GLB in metres, Y up, feet at y = 0, as tall as it says, facing +Z', async () => {
    const { avatars } = await query<{ avatars: { id: string; height: number; modelUrl: string }[] }>(
      AVATAR_URL,
      '{ avatars { id height modelUrl } }',
    );
    assert.ok(avatars.length >= 4);
    for (const avatar of avatars) {
      const { scene, box } = await loadGlb(avatar.modelUrl);
      near(box.min.y, 0, 0.001, `${avatar.id} feet`);
      near(box.max.y, avatar.height, 0.005, `${avatar.id} height`);
      const nose = scene.getObjectByName('nose')!;
      const THREE = await loadThree();
      assert.ok(new THREE.Box3().setFromObject(nose).getCenter(new THREE.Vector3()).z > 0.05, `${avatar.id} faces +Z`);
    }
  });

  test('every SILHOUETTE, ELEMENT and ACCESSORY item has a GLB that sits where it is worn', async () => {
    const { catalogItems } = await query<{
      catalogItems: { id: string; type: string; modelUrl: string | null; textureUrl: string | null }[];
    }>(CATALOG_URL, '{ catalogItems { id type modelUrl textureUrl } }');
    const modelled = catalogItems.filter((i) => ['SILHOUETTE', 'ELEMENT', 'ACCESSORY'].includes(i.type));
    assert.ok(modelled.length >= 20);
    const boxes = new Map<string, Box3>();
    for (const item of modelled) {
      assert.equal(item.textureUrl, null);
      const { scene, box } = await loadGlb(item.modelUrl!);
      let meshes = 0;
      scene.traverse((o) => void ((o as { isMesh?: boolean }).isMesh && meshes++));
      assert.ok(meshes >= 1, `${item.id} has meshes`);
      assert.ok(box.min.y >= -1e-6 && box.max.y <= 1.75, `${item.id} stays within a 1.7 m body: ${box.min.y}..${box.max.y}`);
      assert.ok(Math.abs(box.getCenter(new (await loadThree()).Vector3()).x) < 0.3, `${item.id} is centred on the body`);
      boxes.set(item.id, box);
    }
    const at = (id: string) => boxes.get(id)!;
    assert.ok(at('item-accessory-cap').min.y > 1.5, 'a cap is on the head');
    assert.ok(at('item-accessory-sneakers').max.y < 0.15, 'sneakers are on the feet');
    assert.ok(
      at('item-silhouette-trousers').min.y < 0.15 && at('item-silhouette-trousers').max.y < 1.0,
      'trousers go from the waist to the ankles',
    );
    assert.ok(at('item-silhouette-t-shirt').min.y > 0.8 && at('item-silhouette-t-shirt').max.y > 1.35, 'a T-shirt covers the torso');
    assert.ok(at('item-accessory-sunglasses').min.z > 0.08, 'sunglasses are in front of the face');
  });

  test('every FABRIC and PATTERN item has a square tileable PNG', async () => {
    const { catalogItems } = await query<{
      catalogItems: { id: string; type: string; modelUrl: string | null; textureUrl: string | null }[];
    }>(CATALOG_URL, '{ catalogItems { id type modelUrl textureUrl } }');
    const textured = catalogItems.filter((i) => i.type === 'FABRIC' || i.type === 'PATTERN');
    assert.ok(textured.length >= 10);
    for (const item of textured) {
      assert.equal(item.modelUrl, null);
      const response = await fetch(item.textureUrl!);
      assert.equal(response.headers.get('content-type'), 'image/png');
      const image = sharp(Buffer.from(await response.arrayBuffer()));
      const { width, height } = await image.metadata();
      assert.equal(width, height);
      const { channels } = await image.stats();
      assert.ok(
        channels.some((c) => c.stdev > 1),
        `${item.id} is not a flat colour`,
      );
    }
  });
});
