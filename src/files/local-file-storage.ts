import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config';
import { checkedKey, isSafeKey } from './file-keys';
import type { FileStorage } from './file-storage';

export interface LocalFileStorage extends FileStorage {
  readonly kind: 'local';
  /** Whether a /files link is genuine and not expired. */
  verify(key: string, expires: string, signature: string, now?: Date): boolean;
}

export const isLocalFileStorage = (files: FileStorage): files is LocalFileStorage => files.kind === 'local';

/** A key naming nothing, a directory (`exports`), or a path under a file (`a.png/b`): no file, never an error. */
const NO_SUCH_FILE = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

/** Files in a directory; download links are HMACs over the key and the expiry, served by /files. */
export function createLocalFileStorage(files: Config['files']): LocalFileStorage {
  const pathOf = (key: string) => join(files.dir, checkedKey(key));
  const sign = (key: string, expires: string) => createHmac('sha256', files.urlSecret).update(`${key}\n${expires}`).digest('base64url');
  return {
    kind: 'local',
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    },
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (NO_SUCH_FILE.has((error as { code?: string }).code ?? '')) return null;
        throw error;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async downloadUrl(key, now = new Date()) {
      const expires = String(Math.floor(now.getTime() / 1000) + files.urlTtlSeconds);
      return `${files.publicUrl}/files/${checkedKey(key)}?expires=${expires}&signature=${sign(key, expires)}`;
    },
    verify(key, expires, signature, now = new Date()) {
      if (!isSafeKey(key) || !/^\d+$/.test(expires) || Number(expires) * 1000 < now.getTime()) return false;
      const expected = Buffer.from(sign(key, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
