import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import type { SceneAssets } from './scene-api.js';

/** Models and textures through the studio server's /asset (same origin: no CORS, no tainted canvas), each loaded once. */
export function studioAssets(): SceneAssets {
  const gltf = new GLTFLoader();
  const textures = new THREE.TextureLoader();
  const viaServer = (url: string) => `/asset?url=${encodeURIComponent(url)}`;
  const models = window.exports.assetCache<THREE.Object3D>(200);
  const images = window.exports.assetCache<THREE.Texture>(200);
  return {
    async loadModel(url) {
      return (await models(url, async () => (await gltf.loadAsync(viaServer(url))).scene)).clone(true);
    },
    async loadTexture(url) {
      return (await images(url, () => textures.loadAsync(viaServer(url)))).clone();
    },
  };
}
