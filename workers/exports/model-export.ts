import type { AppServices } from '../../src/context';
import { createServiceContext } from '../../src/context';
import { buildScene } from '../../src/render/build-scene';
import { createNodeSceneAssets } from '../../src/render/node-scene-assets';
import { sceneInputFor } from '../../src/services/renders/scene-input-for';
import type { ModelOptions } from '../../src/services/exports/export-options';
import type { DesignState } from '../../src/services/state/design-state';
import { exportGlb } from '../../src/three/export-glb';
import { loadThree } from '../../src/three/load-three';
import { installNodeFileReader } from '../../src/three/node-file-reader';
import type { Progress } from './image-export';

/**
 * The dressed figure (the same scene a render draws) as GLB, glTF (one JSON with embedded buffers) or
 * OBJ (geometry only). Materials keep colour, roughness, metalness and opacity; textures are left out.
 */
export async function modelExport(app: AppServices, state: DesignState, options: ModelOptions, format: string, progress: Progress): Promise<Buffer> {
  const THREE = await loadThree();
  const input = await sceneInputFor(createServiceContext(app, null), state, {
    width: 1, height: 1, transparentBackground: true, includeAvatar: options.includeAvatar, visibleOnly: options.visibleOnly,
  });
  const { scene } = await buildScene(THREE, input, await createNodeSceneAssets(THREE));
  const figure = scene.getObjectByName('figure')!;
  // Embedding textures needs a canvas in Node (not set up yet): fabrics and patterns leave their colour only.
  figure.traverse((o) => {
    const material = (o as { material?: { map: unknown } }).material;
    if (material) material.map = null;
  });
  await progress(0.5);
  if (format === 'GLB') return exportGlb(figure);
  if (format === 'OBJ') {
    const { OBJExporter } = await import('three/examples/jsm/exporters/OBJExporter.js');
    figure.updateMatrixWorld(true);
    return Buffer.from(new OBJExporter().parse(figure));
  }
  installNodeFileReader();
  const { GLTFExporter } = await import('three/examples/jsm/exporters/GLTFExporter.js');
  return Buffer.from(JSON.stringify(await new GLTFExporter().parseAsync(figure, { binary: false })));
}
