import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FileStorage } from '../src/files/file-storage';

/** What every file storage adapter must do; registered once per adapter that can run here. */
export function registerFileStorageTests(name: string, create: () => Promise<FileStorage & { close(): Promise<void> }>) {
  describe(`file storage contract: ${name}`, () => {
    let files: FileStorage & { close(): Promise<void> };
    const run = randomUUID();
    before(async () => {
      files = await create();
    });
    after(async () => {
      await files.close();
    });

    test('put then read gives the same bytes; a key never written reads as null', async () => {
      const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
      await files.put(`contract/${run}/a.bin`, body);
      assert.deepEqual(await files.read(`contract/${run}/a.bin`), body);
      assert.equal(await files.read(`contract/${run}/missing.bin`), null);
    });

    test('put replaces a file; remove deletes it, and removing it again is not an error', async () => {
      await files.put(`contract/${run}/b.txt`, Buffer.from('first'));
      await files.put(`contract/${run}/b.txt`, Buffer.from('second'));
      assert.equal((await files.read(`contract/${run}/b.txt`))?.toString(), 'second');
      await files.remove(`contract/${run}/b.txt`);
      assert.equal(await files.read(`contract/${run}/b.txt`), null);
      await files.remove(`contract/${run}/b.txt`);
    });

    test('a download link fetches the file with its content type', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
      await files.put(`contract/${run}/image.png`, png);
      const response = await fetch(await files.downloadUrl(`contract/${run}/image.png`));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type')?.split(';')[0], 'image/png');
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), png);
    });

    test('keys that could leave the storage are refused', async () => {
      for (const key of ['../escape.txt', 'a/../../b.txt', '/absolute.txt', 'a//b.txt', 'a/./b.txt', '']) {
        await assert.rejects(files.put(key, Buffer.from('x')), /unsafe file key/, key);
        await assert.rejects(files.read(key), /unsafe file key/, key);
      }
    });
  });
}
