import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addLayer, AVATAR_MALE, gql, ITEM, makeDesign, makeUser, ok, startDesignSubgraph, startWorkers, UPSTREAM_ENV } from './helpers';

const STATUS = `query($id: ID!) { export(id: $id) { status progress fileUrl error retryCount } }`;

/**
 * A design subgraph and workers of this test's own (their own Redis prefix, so the stack's workers
 * never see these jobs) on the test database, with a short lock so a dead worker's job is taken over
 * in seconds rather than the production 30 s.
 */
describe('a worker killed mid-export', () => {
  const env = { REDIS_PREFIX: `${process.env.REDIS_PREFIX}recovery-${randomUUID().slice(0, 8)}:`, WORKER_LOCK_MS: '1500', ...UPSTREAM_ENV };
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    api = await startDesignSubgraph(env);
  });
  after(async () => {
    await api.stop();
  });

  test('leaves an export that another worker takes over and completes', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE, name: 'Survivor' });
    await addLayer(owner, id, { catalogItemId: ITEM.tshirt });
    const first = await startWorkers(env);
    const started = await gql(owner, `mutation($d: ID!) { exportDesign(designId: $d, input: { type: VIDEO, format: MP4, video: { width: 320, height: 240, fps: 10, durationSeconds: 8 } }) { id } }`, { d: id }, api.url);
    const exportId = started.data.exportDesign.id as string;

    let before: { status: string; progress: number } = { status: 'QUEUED', progress: 0 };
    for (let i = 0; i < 300 && !(before.status === 'PROCESSING' && before.progress >= 20); i++) {
      await new Promise((r) => setTimeout(r, 50));
      before = (await ok(owner, STATUS, { id: exportId })).export;
    }
    assert.equal(before.status, 'PROCESSING', 'the first worker is part-way through');
    await first.kill('SIGKILL');
    const cut = (await ok(owner, STATUS, { id: exportId })).export;
    assert.equal(cut.status, 'PROCESSING', 'nobody finished it');

    const second = await startWorkers(env);
    try {
      let done = cut;
      for (let i = 0; i < 600 && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(done.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        done = (await ok(owner, STATUS, { id: exportId })).export;
      }
      assert.equal(done.status, 'COMPLETED', done.error ?? undefined);
      assert.equal(done.progress, 100);
      assert.equal(done.retryCount, 0, 'a takeover is not a user retry');
      const path = join(tmpdir(), `${exportId}.mp4`);
      writeFileSync(path, Buffer.from(await (await fetch(done.fileUrl)).arrayBuffer()));
      const frames = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path], { encoding: 'utf8' });
      assert.equal(frames.trim(), '80', 'the whole turntable, not the part the first worker made');
    } finally {
      await second.kill('SIGTERM');
    }
  });
});
