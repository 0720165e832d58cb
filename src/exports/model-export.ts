import type { Texture } from 'three';
import type { AppServices } from '../context';
import { buildScene } from '../render/build-scene';
import { createNodeSceneAssets } from '../render/node-scene-assets';
import { turnRows } from '../render/turn-rows';
import type { ExportSources } from '../render/scene-input';
import type { ModelOptions } from '../services/exports/export-options';
import type { DesignState } from '../domain/design-state';
import { exportGlb } from '../three/export-glb';
import { loadThree, type Three } from '../three/load-three';
import { installNodeBrowserApis } from '../three/node-browser-apis';
import type { Progress } from './image-export';

/**
 * The dressed figure (the same scene a render draws) as GLB, glTF (one JSON with embedded buffers and
 * images) or OBJ (geometry only). Materials keep colour, roughness, metalness, opacity, and the
 * fabric or pattern texture as PNG with its tiling (KHR_texture_transform).
 */
export async function modelExport(
  app: AppServices,
  state: DesignState,
  sources: ExportSources,
  options: ModelOptions,
  format: string,
  progress: Progress,
): Promise<Buffer> {
  const THREE = await loadThree();
  const settings = {
    width: 1,
    height: 1,
    transparentBackground: true,
    includeAvatar: options.includeAvatar,
    visibleOnly: options.visibleOnly,
  };
  const input = { state, settings, ...sources.scene };
  const { scene } = await buildScene(THREE, input, await createNodeSceneAssets(THREE, app.config.renderer.assets));
  const figure = scene.getObjectByName('figure')!;
  figure.traverse((o) => {
    const material = (o as { material?: { map: Texture | null } }).material;
    if (material?.map) material.map = uprightForGltf(THREE, material.map);
  });
  await progress(0.5);
  if (format === 'GLB') return exportGlb(figure);
  if (format === 'OBJ') {
    const { OBJExporter } = await import('three/examples/jsm/exporters/OBJExporter.js');
    figure.updateMatrixWorld(true);
    return Buffer.from(new OBJExporter().parse(figure));
  }
  installNodeBrowserApis();
  const { GLTFExporter } = await import('three/examples/jsm/exporters/GLTFExporter.js');
  return Buffer.from(JSON.stringify(await new GLTFExporter().parseAsync(figure, { binary: false })));
}

/**
 * Textures decoded for three are uploaded bottom row first (flipY). glTF images are top row first,
 * and GLTFExporter's own flip cannot reach DataTextures (putImageData ignores the canvas transform),
 * so the rows are turned here and the texture marked unflipped, as GLTFLoader will read it.
 */
function uprightForGltf(THREE: Three, texture: Texture): Texture {
  const image = texture.image as { data?: Uint8Array; width: number; height: number };
  if (!texture.flipY || !image.data) return texture;
  const rows = turnRows(image.data, image.width, image.height);
  // copy() keeps tiling, wrapping and colour space; the image gets a Source of its own.
  const upright = new THREE.DataTexture().copy(texture as Texture<never>);
  upright.source = new THREE.TextureSource({ data: rows, width: image.width, height: image.height });
  upright.flipY = false;
  upright.needsUpdate = true;
  return upright;
}
