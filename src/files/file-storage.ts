import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Config } from '../config';

/**
 * Where rendered images and exported files live: a local directory by default (S3 is the planned
 * alternative). Download URLs are signed: an HMAC over the key and its expiry, checked by the
 * subgraph's /files route, so only callers who were given the URL (and may read the design) use it.
 */
export interface FileStorage {
  put(key: string, body: Buffer): Promise<void>;
  read(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
  signedUrl(key: string, now?: Date): string;
  /** The key a /files request may read, or null when its signature or expiry is wrong. */
  verify(key: string, expires: string, signature: string, now?: Date): boolean;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

export function createLocalFileStorage(files: Config['files']): FileStorage {
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key) || normalize(key) !== key || key.includes('..')) throw new Error(`unsafe file key: ${key}`);
    return join(files.dir, key);
  };
  const sign = (key: string, expires: string) => createHmac('sha256', files.urlSecret).update(`${key}\n${expires}`).digest('base64url');
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    },
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    signedUrl(key, now = new Date()) {
      const expires = String(Math.floor(now.getTime() / 1000) + files.urlTtlSeconds);
      return `${files.publicUrl}/files/${key}?expires=${expires}&signature=${sign(key, expires)}`;
    },
    verify(key, expires, signature, now = new Date()) {
      if (!SAFE_KEY.test(key) || !/^\d+$/.test(expires) || Number(expires) * 1000 < now.getTime()) return false;
      const expected = Buffer.from(sign(key, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
