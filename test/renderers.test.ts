import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../src/config';
import { type Renderer } from '../src/render/renderer';
import { type RendererName } from '../src/config';
import { startRenderer } from '../src/render/create-renderer';
import { REFERENCE_HEIGHT, type SceneInput } from '../src/render/scene-input';
import { turnRows } from '../src/render/turn-rows';
import { sampleState } from './snapshot-store.contract';

const execFileAsync = promisify(execFile);
const CATALOG = `http://127.0.0.1:${process.env.TEST_CATALOG_PORT}`;
const AVATARS = `http://127.0.0.1:${process.env.TEST_AVATAR_PORT}`;

function input(transparentBackground = false): SceneInput {
  const state = sampleState(2);
  state.canvas.camera = { position: { x: 0, y: 1.1, z: 3.2 }, target: { x: 0, y: 0.9, z: 0 }, fov: 40 };
  state.canvas.shadows = false;
  state.layers = [
    {
      id: 'shirt',
      type: 'SILHOUETTE' as never,
      name: null,
      order: 0,
      catalogItemId: 'item-silhouette-t-shirt',
      groupId: null,
      transform: { position: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0 }, scale: { x: 1, y: 1, z: 1 } },
      customization: { color: '#ff0000', materialItemId: null, textureScale: 1, roughness: 1, metalness: 0, extra: null },
      visible: true,
      locked: false,
      blendMode: 'NORMAL' as never,
      opacity: 100,
      notes: null,
    },
  ];
  return {
    state,
    backgroundImageUrl: null,
    avatar: { modelUrl: `${AVATARS}/models/avatar-male-standard.glb`, height: 1.8, itemScale: 1.8 / REFERENCE_HEIGHT },
    items: {
      'item-silhouette-t-shirt': {
        id: 'item-silhouette-t-shirt',
        type: 'SILHOUETTE',
        defaultColor: '#ffffff',
        modelUrl: `${CATALOG}/models/item-silhouette-t-shirt.glb`,
        textureUrl: null,
      },
    },
    settings: { width: 256, height: 384, transparentBackground },
  };
}

async function pixel(png: Buffer, x: number, y: number) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 4;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: data[i + 3]!, width: info.width, height: info.height };
}

/** `gl` is an optional dependency: where it did not build (no X11 and GL headers), its tests skip. */
const glMissing = (() => {
  try {
    require.resolve('gl');
    return false;
  } catch {
    return 'the optional dependency gl is not installed (it builds only where libxi-dev, libgl1-mesa-dev and a compiler are)';
  }
})();

/** Mean absolute difference per channel (0-255) over every pixel of two images of one size. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((png) => sharp(png).ensureAlpha().raw().toBuffer()));
  assert.equal(x!.length, y!.length, 'same size');
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}

describe('renderers', () => {
  const renderers: Partial<Record<RendererName, Renderer>> = {};
  before(async () => {
    renderers.chromium = await startRenderer('chromium', loadConfig().renderer);
    if (!glMissing) renderers.gl = await startRenderer('gl', loadConfig().renderer);
  });
  after(async () => {
    await Promise.all(Object.values(renderers).map((r) => r.close()));
  });

  for (const name of ['chromium', 'gl'] as const) {
    describe(name, { skip: name === 'gl' && glMissing }, () => {
      test("renders the design at the requested size: background where there is nothing, the layer's colour on the torso", async () => {
        const png = await renderers[name]!.render(input());
        const corner = await pixel(png, 3, 3);
        assert.deepEqual([corner.width, corner.height], [256, 384]);
        assert.ok(
          Math.abs(corner.r - 0xf0) <= 2 && Math.abs(corner.g - 0xf0) <= 2 && Math.abs(corner.b - 0xf0) <= 2,
          `background #f0f0f0, got ${JSON.stringify(corner)}`,
        );
        const torso = await pixel(png, 128, 150);
        assert.ok(torso.r > 100 && torso.g < 60 && torso.b < 60, `red shirt on the torso, got ${JSON.stringify(torso)}`);
        const { channels } = await sharp(png).stats();
        assert.ok(
          channels.some((c) => c.stdev > 10),
          'not a blank image',
        );
      });

      test('an OVERLAY layer mixes with what lies beneath as image editors do: darker where it is dark, lighter where it is light', async () => {
        const at = async (blendMode: string | null) => {
          const scene = input();
          scene.state.layers[0]!.customization.color = '#60a0e0';
          if (blendMode) scene.state.layers[0]!.blendMode = blendMode as never;
          else scene.state.layers = [];
          return pixel(await renderers[name]!.render(scene), 128, 150);
        };
        const [base, blend, overlaid] = [await at(null), await at('NORMAL'), await at('OVERLAY')];
        const expected = (['r', 'g', 'b'] as const).map((c) => {
          const [b, s] = [base[c] / 255, blend[c] / 255];
          return 255 * (b < 0.5 ? 2 * b * s : 1 - 2 * (1 - b) * (1 - s));
        });
        const got = [overlaid.r, overlaid.g, overlaid.b];
        got.forEach((v, i) =>
          assert.ok(
            Math.abs(v - expected[i]!) <= 12,
            `overlay of ${JSON.stringify(blend)} on ${JSON.stringify(base)}: expected ${expected.map(Math.round)}, got ${got}`,
          ),
        );
        assert.ok(
          Math.abs(overlaid.g - blend.g) + Math.abs(overlaid.b - blend.b) > 60,
          `not drawn as NORMAL: ${JSON.stringify({ base, blend, overlaid })}`,
        );
      });

      test("a turntable's frames are the renders at its angles, in each frame layout it gives (rgba bottom-up, yuv420p planes)", async () => {
        const renderer = renderers[name]!;
        const scene = input();
        const { width, height } = scene.settings;
        const turns = [0, 90];
        const expected: Buffer[] = [];
        for (const turnDegrees of turns) {
          const png = await renderer.render({ ...scene, settings: { ...scene.settings, turnDegrees } });
          expected.push(await sharp(png).ensureAlpha().raw().toBuffer());
        }
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
        for (const pixels of renderer.turntablePixels) {
          const frames: Buffer[] = [];
          await renderer.turntable(scene, turns, pixels, async (frame, i) => {
            assert.equal(i, frames.length, 'frames in order');
            frames.push(Buffer.from(frame));
          });
          assert.equal(frames.length, turns.length);
          frames.forEach((frame, f) => {
            const rgba = expected[f]!;
            const differences: number[] = [];
            if (pixels === 'rgba') {
              assert.equal(frame.length, width * height * 4);
              const top = turnRows(frame, width, height);
              for (let i = 0; i < rgba.length; i++) differences.push(Math.abs(top[i]! - rgba[i]!));
            } else {
              assert.equal(frame.length, (width * height * 3) / 2);
              const at = (x: number, y: number, c: number) => rgba[(y * width + x) * 4 + c]! / 255;
              for (let y = 0; y < height; y++)
                for (let x = 0; x < width; x++) {
                  const luma = 16 + 65.481 * at(x, y, 0) + 128.553 * at(x, y, 1) + 24.966 * at(x, y, 2);
                  differences.push(Math.abs(frame[y * width + x]! - luma));
                }
              const [u, v] = [width * height, (width * height * 5) / 4];
              for (let y = 0; y < height / 2; y++)
                for (let x = 0; x < width / 2; x++) {
                  const block = (c: number) =>
                    (at(2 * x, 2 * y, c) + at(2 * x + 1, 2 * y, c) + at(2 * x, 2 * y + 1, c) + at(2 * x + 1, 2 * y + 1, c)) / 4;
                  const [r, g, b] = [block(0), block(1), block(2)];
                  differences.push(Math.abs(frame[u + y * (width / 2) + x]! - (128 - 37.797 * r - 74.203 * g + 112 * b)));
                  differences.push(Math.abs(frame[v + y * (width / 2) + x]! - (128 + 112 * r - 93.786 * g - 18.214 * b)));
                }
            }
            assert.ok(
              mean(differences) < 1,
              `${pixels} frame ${f} against the render at ${turns[f]}°: mean difference ${mean(differences).toFixed(3)}`,
            );
          });
          const turned = frames[0]!.map((b, i) => Math.abs(b - frames[1]![i]!));
          assert.ok(mean([...turned]) > 1, `${pixels}: the figure turned between the frames`);
        }
      });

      test('a transparent background stays transparent', async () => {
        const png = await renderers[name]!.render(input(true));
        assert.equal((await pixel(png, 3, 3)).a, 0);
        assert.equal((await pixel(png, 128, 150)).a, 255);
      });
    });
  }

  test('RENDERER=gl where gl cannot run (not installed, or no usable display): the reason is logged and the renders go to chromium', async () => {
    // headless-gl opens its display once per process, so this runs in a process of its own.
    const script = `require(${JSON.stringify(join(__dirname, '..', 'src', 'render', 'create-renderer.js'))})
      .createRenderer(${JSON.stringify({ ...loadConfig().renderer, preferred: 'gl' })})
      .then(async (r) => { console.log('renderer=' + r.name); await r.close(); });`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', script], {
      env: { ...process.env, DISPLAY: ':4242', LOG_LEVEL: 'warn' },
    });
    assert.match(stdout, glMissing ? /gl cannot be loaded/ : /headless-gl could not create a context on display :4242/);
    assert.match(stdout, /renderer=chromium/);
  });

  test(
    'gl draws what chromium draws: mean pixel difference under 2 of 255, shadows, a fabric texture and an image background included',
    { skip: glMissing },
    async () => {
      const scene = { ...input(), settings: { width: 320, height: 480, transparentBackground: false } };
      scene.state.canvas.shadows = true;
      scene.state.canvas.background = { type: 'IMAGE' as never, value: `${CATALOG}/textures/item-fabric-wool-twill.png` };
      scene.backgroundImageUrl = scene.state.canvas.background.value;
      scene.items['item-fabric-denim'] = {
        id: 'item-fabric-denim',
        type: 'FABRIC',
        defaultColor: null,
        modelUrl: null,
        textureUrl: `${CATALOG}/textures/item-fabric-denim.png`,
      };
      scene.state.layers[0]!.customization = { ...scene.state.layers[0]!.customization, color: null, materialItemId: 'item-fabric-denim' };
      const [a, b] = [await renderers.chromium!.render(scene), await renderers.gl!.render(scene)];
      const difference = await meanDifference(a, b);
      assert.ok(difference < 2, `mean difference ${difference.toFixed(3)}`);
    },
  );
});
