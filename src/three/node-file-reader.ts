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
    this.read(blob.arrayBuffer().then((buffer) => `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buffer).toString('base64')}`));
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

export function installNodeFileReader(): void {
  const scope = globalThis as { FileReader?: unknown };
  scope.FileReader ??= NodeFileReader;
}
