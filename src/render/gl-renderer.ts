import sharp from 'sharp';
import type { Object3D, WebGLRenderer } from 'three';
import type { FetchPolicy } from '../net/safe-fetch';
import type { Three } from '../three/load-three';
import { buildScene, disposeScene, drawScene } from './build-scene';
import { createNodeSceneAssets } from './node-scene-assets';
import type { Renderer } from './renderer';
import { turnRows } from './turn-rows';
import { ensureDisplay } from './xvfb';

type CreateGl = (
  width: number,
  height: number,
  options?: Record<string, unknown>,
) =>
  | (WebGLRenderingContext & {
      getExtension(name: 'STACKGL_resize_drawingbuffer'): { resize(width: number, height: number): void } | null;
      getExtension(name: 'STACKGL_destroy_context'): { destroy(): void } | null;
    })
  | null;

/** Optional modules: `gl` is an optional dependency that compiles at install and may be missing. */
function loadOptional<T>(name: string, why: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    throw new Error(`${name} cannot be loaded (${why}): ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * The fast renderer: headless-gl (WebGL1, in this process, no browser) under Xvfb, with three 0.162,
 * the last release that draws on WebGL1, kept apart from the main three as `three-webgl1`. The scene
 * comes from the same builder as chromium's. Models are parsed by the main three's GLTFLoader and
 * carried over to three 0.162 through three's JSON format, once per model.
 */
export async function createGlRenderer(assetPolicy: FetchPolicy): Promise<Renderer> {
  const createGl = loadOptional<CreateGl>(
    'gl',
    'the optional dependency `gl` did not build: it needs libxi-dev, libgl1-mesa-dev, build-essential, python3',
  );
  const THREE = loadOptional<Three>('three-webgl1', 'three 0.162 under an npm alias');
  const display = await ensureDisplay();
  const gl = createGl(1, 1, { preserveDrawingBuffer: true, antialias: true, alpha: true, premultipliedAlpha: true });
  if (!gl) throw new Error(`headless-gl could not create a context on display ${display}`);
  const resize = gl.getExtension('STACKGL_resize_drawingbuffer')!;

  const canvas = { width: 1, height: 1, style: {}, addEventListener() {}, removeEventListener() {}, getContext: () => gl };
  const renderer: WebGLRenderer = new THREE.WebGLRenderer({
    canvas: canvas as never,
    context: gl as never,
    alpha: true,
    premultipliedAlpha: true,
  });
  const ObjectLoader = THREE.ObjectLoader;
  const assets = await createNodeSceneAssets(THREE, assetPolicy, {
    adoptModel: (model: Object3D) => new ObjectLoader().parse(model.toJSON()),
  });

  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: 'gl',
    description: `gl (headless-gl on display ${display})`,
    usable: () => true,
    render(input) {
      const run = queue.then(async () => {
        const pixelRatio = input.settings.pixelRatio ?? 1;
        const width = Math.floor(input.settings.width * pixelRatio);
        const height = Math.floor(input.settings.height * pixelRatio);
        renderer.setPixelRatio(pixelRatio);
        renderer.setSize(input.settings.width, input.settings.height, false);
        resize.resize(width, height);
        const built = await buildScene(THREE, input, assets);
        drawScene(THREE, renderer, built);
        const pixels = new Uint8Array(width * height * 4);
        gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
        disposeScene(built);
        return sharp(toImageRows(pixels, width, height), { raw: { width, height, channels: 4 } })
          .png()
          .toBuffer();
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      // WebGLRenderer.dispose stops a browser animation loop and fails without `window`; destroying
      // the context releases every buffer, texture and program at once.
      gl.getExtension('STACKGL_destroy_context')?.destroy();
    },
  };
}

/**
 * readPixels answers rows bottom-up with colours premultiplied by alpha; an image wants rows
 * top-down and straight alpha (what the browser's toDataURL gives).
 */
function toImageRows(pixels: Uint8Array, width: number, height: number): Buffer {
  const out = Buffer.from(turnRows(pixels, width, height).buffer);
  for (let i = 0; i < out.length; i += 4) {
    const alpha = out[i + 3]!;
    if (alpha === 0 || alpha === 255) continue;
    out[i] = Math.min(255, Math.round((out[i]! * 255) / alpha));
    out[i + 1] = Math.min(255, Math.round((out[i + 1]! * 255) / alpha));
    out[i + 2] = Math.min(255, Math.round((out[i + 2]! * 255) / alpha));
  }
  return out;
}
