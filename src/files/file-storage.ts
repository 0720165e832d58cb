/**
 * Where rendered images and exported files live: a local directory by default, an S3 bucket when
 * S3_BUCKET is set. Download URLs are signed and expire (an HMAC checked by the subgraph's /files
 * route, or an S3 presigned URL); only callers who may read the design are given one.
 */
export interface FileStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer): Promise<void>;
  /** Null when there is no such file. */
  read(key: string): Promise<Buffer | null>;
  /** Removing a file that is not there is not an error. */
  remove(key: string): Promise<void>;
  downloadUrl(key: string, now?: Date): Promise<string>;
}
