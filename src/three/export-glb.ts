import type { Object3D } from 'three';
import { installNodeBrowserApis } from './node-browser-apis';

/** A glTF binary (.glb) of the object, exported in Node. */
export async function exportGlb(object: Object3D): Promise<Buffer> {
  installNodeBrowserApis();
  const { GLTFExporter } = await import('three/examples/jsm/exporters/GLTFExporter.js');
  const result = await new GLTFExporter().parseAsync(object, { binary: true });
  return Buffer.from(result as ArrayBuffer);
}
