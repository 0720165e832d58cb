import { Canvas, ImageData } from '@napi-rs/canvas';

/**
 * three's GLTFExporter reads its Blobs with the browser's FileReader (readAsArrayBuffer,
 * readAsDataURL, then onloadend). Node has Blob but no FileReader: this is that small part of it.
 */
class NodeFileReader {
  result: ArrayBuffer | string | null = null;
  onload: ((event: { target: NodeFileReader }) => void) | null = null;
  onloadend: ((event: { target: NodeFileReader }) => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;

  readAsArrayBuffer(blob: Blob): void {
    this.read(blob.arrayBuffer());
  }

  readAsDataURL(blob: Blob): void {
    this.read(
      blob
        .arrayBuffer()
        .then((buffer) => `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buffer).toString('base64')}`),
    );
  }

  private read(result: Promise<ArrayBuffer | string>): void {
    result.then(
      (value) => {
        this.result = value;
        this.onload?.({ target: this });
        this.onloadend?.({ target: this });
      },
      (error) => this.onerror?.(error),
    );
  }
}

/**
 * What three's GLTFExporter needs of a browser, in Node: FileReader (above) to read its Blobs, and
 * an OffscreenCanvas with ImageData to encode textures as PNG (@napi-rs/canvas: Skia, with its
 * binary in the npm package; its Canvas has getContext('2d') and convertToBlob).
 */
export function installNodeBrowserApis(): void {
  const scope = globalThis as { FileReader?: unknown; OffscreenCanvas?: unknown; ImageData?: unknown };
  scope.FileReader ??= NodeFileReader;
  scope.OffscreenCanvas ??= Canvas;
  scope.ImageData ??= ImageData;
}
