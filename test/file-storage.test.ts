import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import S3rver from 's3rver';
import { loadConfig } from '../src/config';
import { createLocalFileStorage } from '../src/files/local-file-storage';
import { createS3FileStorage } from '../src/files/s3-file-storage';
import { registerFileStorageTests } from './file-storage.contract';

const designOrigin = new URL(process.env.TEST_DESIGN_URL!).origin;
/** The same directory and secret as the stack under test, whose /files route serves the links. */
const localFiles = () => createLocalFileStorage({ ...loadConfig().files, publicUrl: designOrigin });

registerFileStorageTests('local directory', async () => ({ ...localFiles(), close: async () => {} }));

// s3rver speaks S3 over HTTP from a directory: the adapter runs against a real S3 protocol peer.
registerFileStorageTests('s3 (s3rver)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'design-files', configs: [] }],
  });
  const { port } = await server.run();
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const files = createS3FileStorage(
    { bucket: 'design-files', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, prefix: 'test/' },
    900,
  );
  return {
    ...files,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('download links', () => {
  test('a local link expires, and a link with another key or signature is refused by /files', async () => {
    const files = localFiles();
    await files.put('contract/links/file.txt', Buffer.from('kept'));
    const url = new URL(await files.downloadUrl('contract/links/file.txt'));
    assert.equal((await fetch(url)).status, 200);
    const expired = new URL(
      await files.downloadUrl('contract/links/file.txt', new Date(Date.now() - 2 * loadConfig().files.urlTtlSeconds * 1000)),
    );
    assert.equal((await fetch(expired)).status, 403);
    const forged = new URL(url);
    forged.searchParams.set(
      'signature',
      url.searchParams.get('signature')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    );
    assert.equal((await fetch(forged)).status, 403);
    const otherKey = new URL(url.href.replace('file.txt', 'other.txt'));
    assert.equal((await fetch(otherKey)).status, 403);
    await files.remove('contract/links/file.txt');
  });

  test('an S3 link is presigned for FILE_URL_TTL_SECONDS', async () => {
    const files = createS3FileStorage(
      { bucket: 'b', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, prefix: 'p/' },
      900,
    );
    const url = new URL(await files.downloadUrl('exports/x/file.pdf'));
    assert.equal(url.pathname, '/b/p/exports/x/file.pdf');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
    assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.match(url.searchParams.get('X-Amz-Credential')!, /\/eu-west-1\/s3\/aws4_request$/);
    assert.match(url.searchParams.get('X-Amz-Signature')!, /^[0-9a-f]{64}$/);
  });
});
