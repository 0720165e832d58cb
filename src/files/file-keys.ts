import { extname } from 'node:path';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

/** Keys are ours (`renders/<hash>.png`, `exports/<id>/...`): plain segments, never `.`, `..` or empty. */
export const isSafeKey = (key: string) =>
  SAFE_KEY.test(key) && key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

/** A key that is not safe is a bug or an attack, never a path. */
export function checkedKey(key: string): string {
  if (!isSafeKey(key)) throw new Error(`unsafe file key: ${key}`);
  return key;
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.obj': 'model/obj',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
};

export const contentTypeOf = (key: string) => CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
