import { UrlRefusedError } from '../net/safe-fetch';

const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a; // "JSON"

/**
 * GLTFLoader fetches the files a model refers to (buffers, images) on its own, past the safe fetcher,
 * so a model is only loaded when it carries everything inside: a GLB's binary chunk or data: URIs.
 */
export function assertSelfContained(bytes: ArrayBuffer, url: string): void {
  const json = gltfJson(bytes);
  if (!json) return;
  let gltf: { buffers?: { uri?: string }[]; images?: { uri?: string }[] };
  try {
    gltf = JSON.parse(json) as typeof gltf;
  } catch {
    // Not glTF after all: GLTFLoader says what is wrong with it.
    return;
  }
  const outside = [...(gltf.buffers ?? []), ...(gltf.images ?? [])].find((part) => part.uri && !part.uri.startsWith('data:'));
  if (outside) throw new UrlRefusedError(`refused ${url}: the model refers to ${outside.uri} outside its file`);
}

/** The glTF JSON of a GLB or of a .gltf file; null for anything else. */
function gltfJson(bytes: ArrayBuffer): string | null {
  const view = new DataView(bytes);
  if (bytes.byteLength >= 20 && view.getUint32(0, true) === GLB_MAGIC) {
    const length = view.getUint32(12, true);
    if (view.getUint32(16, true) !== JSON_CHUNK) return null;
    return new TextDecoder().decode(new Uint8Array(bytes, 20, Math.min(length, bytes.byteLength - 20)));
  }
  const WHITE_SPACE = [0x20, 0x09, 0x0a, 0x0d];
  const first = new Uint8Array(bytes).find((byte) => !WHITE_SPACE.includes(byte));
  return first === 0x7b /* { */ ? new TextDecoder().decode(bytes) : null;
}
