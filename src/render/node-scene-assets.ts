import sharp from 'sharp';
import type { Object3D, Texture } from 'three';
import type { Three } from '../three/load-three';
import type { SceneAssets } from './build-scene';

/**
 * Models and textures for scenes built in Node (model exports, tests): GLBs parsed with GLTFLoader,
 * images decoded with sharp into DataTextures. Each URL is fetched once; every use gets a clone.
 * `adoptModel` carries a parsed model over to another three (the gl renderer's 0.162).
 */
export async function createNodeSceneAssets(THREE: Three, options: { adoptModel?: (model: Object3D) => Object3D } = {}): Promise<SceneAssets> {
  const adopt = options.adoptModel ?? ((model: Object3D) => model);
  const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
  const models = new Map<string, Promise<Object3D>>();
  const textures = new Map<string, Promise<Texture>>();
  const fetchBytes = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.arrayBuffer();
  };
  return {
    async loadModel(url) {
      if (!models.has(url)) models.set(url, fetchBytes(url).then(async (bytes) => adopt((await new GLTFLoader().parseAsync(bytes, '')).scene)));
      return (await models.get(url)!).clone(true);
    },
    async loadTexture(url) {
      if (!textures.has(url)) {
        textures.set(url, fetchBytes(url).then(async (bytes) => {
          const { data, info } = await sharp(Buffer.from(bytes)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
          const texture = new THREE.DataTexture(new Uint8Array(data), info.width, info.height, THREE.RGBAFormat);
          texture.flipY = true;
          // What a browser's TextureLoader gives (DataTexture defaults to nearest and no mipmaps).
          texture.magFilter = THREE.LinearFilter;
          texture.minFilter = THREE.LinearMipmapLinearFilter;
          texture.generateMipmaps = true;
          texture.needsUpdate = true;
          return texture;
        }));
      }
      return (await textures.get(url)!).clone();
    },
  };
}
