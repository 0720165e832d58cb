import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Mesh, MeshStandardMaterial, Object3D } from 'three';
import { loadConfig } from '../src/config';
import { buildScene } from '../src/render/build-scene';
import { createNodeSceneAssets } from '../src/render/node-scene-assets';
import { REFERENCE_HEIGHT, type SceneInput } from '../src/render/scene-input';
import { loadThree } from '../src/three/load-three';
import { sampleState } from './snapshot-store.contract';

const CATALOG = `http://127.0.0.1:${process.env.TEST_CATALOG_PORT}`;
const AVATARS = `http://127.0.0.1:${process.env.TEST_AVATAR_PORT}`;

function layer(id: string, catalogItemId: string, order: number, extra: Record<string, unknown> = {}) {
  return {
    id,
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
    ...extra,
  } as SceneInput['state']['layers'][number];
}

function input(overrides: Partial<SceneInput['settings']> = {}): SceneInput {
  const state = sampleState(7);
  state.layers = [
    layer('l-shirt', 'item-silhouette-t-shirt', 0, {
      customization: { color: '#ff0000', materialItemId: null, textureScale: 1, roughness: 0.4, metalness: null, extra: null },
      opacity: 80,
    }),
    layer('l-skirt', 'item-silhouette-a-line-skirt', 1, { visible: false }),
    layer('l-cap', 'item-accessory-cap', 2, {
      customization: { color: null, materialItemId: 'item-fabric-denim', textureScale: 2, roughness: null, metalness: null, extra: null },
      blendMode: 'MULTIPLY',
      transform: { position: { x: 0, y: 0.1, z: 0 }, rotation: { x: 0, y: 90, z: 0 }, scale: { x: 1, y: 1, z: 1 } },
    }),
  ];
  const item = (id: string, type: string, model: boolean) => ({
    id,
    type,
    defaultColor: '#888888',
    modelUrl: model ? `${CATALOG}/models/${id}.glb` : null,
    textureUrl: model ? null : `${CATALOG}/textures/${id}.png`,
  });
  return {
    state,
    backgroundImageUrl: null,
    avatar: { modelUrl: `${AVATARS}/models/avatar-female-standard.glb`, height: 1.68, itemScale: 1.68 / REFERENCE_HEIGHT },
    items: Object.fromEntries(
      [
        item('item-silhouette-t-shirt', 'SILHOUETTE', true),
        item('item-silhouette-a-line-skirt', 'SILHOUETTE', true),
        item('item-accessory-cap', 'ACCESSORY', true),
        item('item-fabric-denim', 'FABRIC', false),
      ].map((i) => [i.id, i]),
    ) as SceneInput['items'],
    settings: { width: 800, height: 600, transparentBackground: false, ...overrides },
  };
}

const materialOf = (object: Object3D) => {
  let material: MeshStandardMaterial | undefined;
  object.traverse((o) => void ((o as Mesh).isMesh && (material ??= (o as Mesh).material as MeshStandardMaterial)));
  return material!;
};

describe('scene builder (Node)', () => {
  test('avatar and the visible layers in stack order, with colour, opacity, material texture, blend mode and transform', async () => {
    const THREE = await loadThree();
    const { scene, camera, clearColor } = await buildScene(
      THREE,
      input(),
      await createNodeSceneAssets(THREE, loadConfig().renderer.assets),
    );
    const figure = scene.getObjectByName('figure')!;
    assert.deepEqual(
      figure.children.map((c) => c.name),
      ['avatar', 'layer-l-shirt', 'layer-l-cap'],
    );
    const shirt = materialOf(figure.children[1]!);
    assert.equal(shirt.color.getHexString(), 'ff0000');
    assert.equal(shirt.opacity, 0.8);
    assert.equal(shirt.transparent, true);
    assert.equal(shirt.roughness, 0.4);
    const capGroup = figure.children[2]!;
    const cap = materialOf(capGroup);
    assert.ok(cap.map, 'the denim texture is applied');
    assert.equal(cap.map!.repeat.x, 8);
    assert.equal(cap.blending, THREE.MultiplyBlending);
    assert.ok(Math.abs(capGroup.rotation.y - Math.PI / 2) < 1e-9, 'rotation in degrees');
    assert.ok(Math.abs(capGroup.scale.x - 1.68 / 1.7) < 1e-9, 'items scaled to the avatar');
    assert.equal(capGroup.position.y, 0.1);
    assert.deepEqual(camera.position.toArray(), [0, 1.6, 3]);
    assert.equal(camera.fov, 50);
    assert.equal(camera.aspect, 800 / 600);
    assert.equal(clearColor, '#f0f0f0');
    const box = new THREE.Box3().setFromObject(figure);
    assert.ok(
      box.min.y > -0.01 && box.max.y < 1.68 + 0.1 + 0.05,
      `standing on the floor, as tall as the avatar with its raised cap: ${box.min.y}..${box.max.y}`,
    );
  });

  test('camera override, turntable angle, transparent and gradient backgrounds, hidden layers on request', async () => {
    const THREE = await loadThree();
    const assets = await createNodeSceneAssets(THREE, loadConfig().renderer.assets);
    const turned = await buildScene(
      THREE,
      input({ camera: { position: { x: 1, y: 1, z: 1 }, fov: 30 }, turnDegrees: 180, transparentBackground: true, visibleOnly: false }),
      assets,
    );
    assert.deepEqual(turned.camera.position.toArray(), [1, 1, 1]);
    assert.equal(turned.camera.fov, 30);
    assert.ok(Math.abs(turned.scene.getObjectByName('figure')!.rotation.y - Math.PI) < 1e-9);
    assert.equal(turned.scene.background, null);
    assert.equal(turned.clearColor, null);
    assert.ok(turned.scene.getObjectByName('layer-l-skirt'), 'hidden layers are kept when visibleOnly is false');
    const gradient = input();
    gradient.state.canvas.background = { type: 'GRADIENT', value: '#ffffff,#000000' } as never;
    const built = await buildScene(THREE, gradient, assets);
    assert.ok((built.scene.background as { isDataTexture?: boolean }).isDataTexture);
  });
});
