import sharp from 'sharp';
import type { Object3D, Texture } from 'three';
import { safeFetch, type FetchPolicy } from '../net/safe-fetch';
import type { Three } from '../three/load-three';
import { assetCache } from './asset-cache';
import type { SceneAssets } from './build-scene';
import { assertSelfContained } from './self-contained-model';

/**
 * Models and textures for scenes built in Node (model exports, tests): GLBs parsed with GLTFLoader,
 * images decoded with sharp into DataTextures. Each URL is fetched once, through the safe fetcher;
 * every use gets a clone.
 * `adoptModel` carries a parsed model over to another three (the gl renderer's 0.162).
 */
/** Models and textures a renderer keeps between scenes (a worker renders many designs). */
const ASSETS_KEPT = 200;

export async function createNodeSceneAssets(
  THREE: Three,
  policy: FetchPolicy,
  options: { adoptModel?: (model: Object3D) => Object3D } = {},
): Promise<SceneAssets> {
  const adopt = options.adoptModel ?? ((model: Object3D) => model);
  const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
  const models = assetCache<Object3D>(ASSETS_KEPT);
  const textures = assetCache<Texture>(ASSETS_KEPT);
  return {
    async loadModel(url) {
      const model = await models(url, async () => {
        // A copy of its own: GLTFLoader reads the whole ArrayBuffer, and a small Buffer shares Node's pool.
        const bytes = new Uint8Array((await safeFetch(url, policy)).body).buffer;
        assertSelfContained(bytes, url);
        return adopt((await new GLTFLoader().parseAsync(bytes, '')).scene);
      });
      return model.clone(true);
    },
    async loadTexture(url) {
      const texture = await textures(url, async () => {
        const { data, info } = await sharp((await safeFetch(url, policy)).body)
          .ensureAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const decoded = new THREE.DataTexture(new Uint8Array(data), info.width, info.height, THREE.RGBAFormat);
        decoded.flipY = true;
        // What a browser's TextureLoader gives (DataTexture defaults to nearest and no mipmaps).
        decoded.magFilter = THREE.LinearFilter;
        decoded.minFilter = THREE.LinearMipmapLinearFilter;
        decoded.generateMipmaps = true;
        decoded.needsUpdate = true;
        return decoded;
      });
      return texture.clone();
    },
  };
}
