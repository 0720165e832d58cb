import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createChromiumRenderer, type Renderer } from '../src/render/chromium-renderer';
import { REFERENCE_HEIGHT, type SceneInput } from '../src/render/scene-input';
import { sampleState } from './snapshot-store.contract';

const CATALOG = `http://127.0.0.1:${process.env.TEST_CATALOG_PORT}`;
const AVATARS = `http://127.0.0.1:${process.env.TEST_AVATAR_PORT}`;

function input(transparentBackground = false): SceneInput {
  const state = sampleState(2);
  state.canvas.camera = { position: { x: 0, y: 1.1, z: 3.2 }, target: { x: 0, y: 0.9, z: 0 }, fov: 40 };
  state.canvas.shadows = false;
  state.layers = [{
    id: 'shirt', type: 'SILHOUETTE' as never, name: null, order: 0, catalogItemId: 'item-silhouette-t-shirt', groupId: null,
    transform: { position: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0 }, scale: { x: 1, y: 1, z: 1 } },
    customization: { color: '#ff0000', materialItemId: null, textureScale: 1, roughness: 1, metalness: 0, extra: null },
    visible: true, locked: false, blendMode: 'NORMAL' as never, opacity: 100, notes: null,
  }];
  return {
    state,
    avatar: { modelUrl: `${AVATARS}/models/avatar-male-standard.glb`, height: 1.8, itemScale: 1.8 / REFERENCE_HEIGHT },
    items: { 'item-silhouette-t-shirt': { id: 'item-silhouette-t-shirt', type: 'SILHOUETTE', defaultColor: '#ffffff', modelUrl: `${CATALOG}/models/item-silhouette-t-shirt.glb`, textureUrl: null } },
    settings: { width: 256, height: 384, transparentBackground },
  };
}

async function pixel(png: Buffer, x: number, y: number) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 4;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: data[i + 3]!, width: info.width, height: info.height };
}

describe('chromium renderer (headless, WebGL2 on SwiftShader)', () => {
  let renderer: Renderer;
  before(async () => {
    renderer = await createChromiumRenderer();
  });
  after(async () => {
    await renderer.close();
  });

  test('renders the design at the requested size: background where there is nothing, the layer\'s colour on the torso', async () => {
    const png = await renderer.render(input());
    const corner = await pixel(png, 3, 3);
    assert.deepEqual([corner.width, corner.height], [256, 384]);
    assert.ok(Math.abs(corner.r - 0xf0) <= 2 && Math.abs(corner.g - 0xf0) <= 2 && Math.abs(corner.b - 0xf0) <= 2, `background #f0f0f0, got ${JSON.stringify(corner)}`);
    const torso = await pixel(png, 128, 150);
    assert.ok(torso.r > 100 && torso.g < 60 && torso.b < 60, `red shirt on the torso, got ${JSON.stringify(torso)}`);
    const { channels } = await sharp(png).stats();
    assert.ok(channels.some((c) => c.stdev > 10), 'not a blank image');
  });

  test('a transparent background stays transparent', async () => {
    const png = await renderer.render(input(true));
    assert.equal((await pixel(png, 3, 3)).a, 0);
    assert.equal((await pixel(png, 128, 150)).a, 255);
  });
});
