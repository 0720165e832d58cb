import sharp from 'sharp';
import type { Object3D, Texture } from 'three';
import type { Three } from '../three/load-three';
import { assetCache } from './asset-cache';
import type { SceneAssets } from './build-scene';

/**
 * Models and textures for scenes built in Node (model exports, tests): GLBs parsed with GLTFLoader,
 * images decoded with sharp into DataTextures. Each URL is fetched once; every use gets a clone.
 * `adoptModel` carries a parsed model over to another three (the gl renderer's 0.162).
 */
/** Models and textures a renderer keeps between scenes (a worker renders many designs). */
const ASSETS_KEPT = 200;

export async function createNodeSceneAssets(
  THREE: Three,
  options: { adoptModel?: (model: Object3D) => Object3D } = {},
): Promise<SceneAssets> {
  const adopt = options.adoptModel ?? ((model: Object3D) => model);
  const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
  const models = assetCache<Object3D>(ASSETS_KEPT);
  const textures = assetCache<Texture>(ASSETS_KEPT);
  const fetchBytes = async (url: string) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.arrayBuffer();
  };
  return {
    async loadModel(url) {
      const model = await models(url, async () => adopt((await new GLTFLoader().parseAsync(await fetchBytes(url), '')).scene));
      return model.clone(true);
    },
    async loadTexture(url) {
      const texture = await textures(url, async () => {
        const { data, info } = await sharp(Buffer.from(await fetchBytes(url)))
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
