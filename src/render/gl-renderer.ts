import sharp from 'sharp';
import type { Object3D, WebGLRenderer } from 'three';
import type { FetchPolicy } from '../net/safe-fetch';
import type { Three } from '../three/load-three';
import { buildScene, disposeScene, drawScene, turnScene } from './build-scene';
import { createNodeSceneAssets } from './node-scene-assets';
import { devicePixels, pipelineFrames, type Renderer } from './renderer';
import type { SceneInput } from './scene-input';
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

  /** Sizes the context for these settings and answers its size in device pixels. */
  const setSize = (settings: SceneInput['settings']) => {
    const size = devicePixels(settings);
    renderer.setPixelRatio(settings.pixelRatio ?? 1);
    renderer.setSize(settings.width, settings.height, false);
    resize.resize(size.width, size.height);
    return size;
  };
  const readPixels = ({ width, height }: { width: number; height: number }) => {
    const pixels = Buffer.alloc(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    return pixels;
  };

  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    name: 'gl',
    description: `gl (headless-gl on display ${display})`,
    usable: () => true,
    render(input) {
      return queued(async () => {
        const size = setSize(input.settings);
        const built = await buildScene(THREE, input, assets);
        drawScene(THREE, renderer, built);
        const pixels = readPixels(size);
        disposeScene(built);
        return sharp(toImageRows(pixels, size.width, size.height), { raw: { width: size.width, height: size.height, channels: 4 } })
          .png()
          .toBuffer();
      });
    },
    turntablePixels: ['rgba'],
    turntable(input, turns, pixels, sink) {
      return queued(async () => {
        if (pixels !== 'rgba') throw new Error(`the gl renderer gives rgba turntable frames, not ${pixels}`);
        const size = setSize(input.settings);
        const built = await buildScene(THREE, input, assets);
        try {
          await pipelineFrames(
            turns,
            async (degrees) => {
              turnScene(built, degrees);
              drawScene(THREE, renderer, built);
              return readPixels(size);
            },
            sink,
          );
        } finally {
          disposeScene(built);
        }
      });
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
