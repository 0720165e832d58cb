import type { Config } from '../config';
import type { FileStorage } from './file-storage';
import { createLocalFileStorage } from './local-file-storage';
import { createS3FileStorage } from './s3-file-storage';

export function createFileStorage(files: Config['files']): FileStorage {
  return files.s3 ? createS3FileStorage(files.s3, files.urlTtlSeconds) : createLocalFileStorage(files);
}
