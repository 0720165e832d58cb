import type { Object3D } from 'three';
import { installNodeFileReader } from './node-file-reader';

/** A glTF binary (.glb) of the object, exported in Node. */
export async function exportGlb(object: Object3D): Promise<Buffer> {
  installNodeFileReader();
  const { GLTFExporter } = await import('three/examples/jsm/exporters/GLTFExporter.js');
  const result = await new GLTFExporter().parseAsync(object, { binary: true });
  return Buffer.from(result as ArrayBuffer);
}
