import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  addLayer,
  AVATAR_MALE,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  snapshotKept,
  startDesignSubgraph,
  startWorkers,
  withDb,
  type TestUser,
  graphql,
} from './helpers';
import { ffprobe } from './media';

const STATUS = graphql(`
  query ($id: ID!) {
    export(id: $id) {
      status
      progress
      fileUrl
      error
      retryCount
    }
  }
`);

async function exportState(owner: TestUser, id: string) {
  return (await ok(owner, STATUS, { id })).export as {
    status: string;
    progress: number;
    fileUrl: string;
    error: string | null;
    retryCount: number;
  };
}

async function until(owner: TestUser, id: string, done: (e: Awaited<ReturnType<typeof exportState>>) => boolean) {
  const state = await pollUntil(() => exportState(owner, id), done, 600, 50);
  if (!done(state)) throw new Error(`export ${id} never got there`);
  return state;
}

/**
 * A design subgraph and workers of this test's own (their own Redis prefix, so the stack's workers
 * never see these jobs) on the test database, with a short lock so a dead worker's job is taken over
 * in seconds rather than the production 30 s.
 */
describe('exports when workers fail', () => {
  const env = { REDIS_PREFIX: `${process.env.REDIS_PREFIX}recovery-${randomUUID().slice(0, 8)}:`, WORKER_LOCK_MS: '1500' };
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    api = await startDesignSubgraph(env);
  });
  after(async () => {
    await api.stop();
  });

  /** An export asked of this test's own subgraph, which its workers (none yet) will run. */
  async function smallImageExport() {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const started = await gql(
      owner,
      graphql(`
        mutation ($d: ID!) {
          exportDesign(designId: $d, input: { type: IMAGE, format: PNG, image: { width: 64, height: 64 } }) {
            id
          }
        }
      `),
      { d: id },
      api.url,
    );
    return { owner, exportId: started.data!.exportDesign.id as string };
  }

  test('a worker killed mid-export leaves an export that another worker takes over and completes', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE, name: 'Survivor' });
    await addLayer(owner, id, { catalogItemId: ITEM.tshirt });
    const first = await startWorkers(env);
    const started = await gql(
      owner,
      graphql(`
        mutation ($d: ID!) {
          exportDesign(designId: $d, input: { type: VIDEO, format: MP4, video: { width: 320, height: 240, fps: 10, durationSeconds: 8 } }) {
            id
          }
        }
      `),
      { d: id },
      api.url,
    );
    const exportId = started.data!.exportDesign.id as string;

    const before = await pollUntil(
      () => exportState(owner, exportId),
      (e) => e.status === 'PROCESSING' && e.progress >= 20,
      300,
      50,
    );
    assert.equal(before.status, 'PROCESSING', 'the first worker is part-way through');
    await first.kill('SIGKILL');
    const cut = await exportState(owner, exportId);
    assert.equal(cut.status, 'PROCESSING', 'nobody finished it');

    const second = await startWorkers(env);
    try {
      const done = await pollUntil(
        () => exportState(owner, exportId),
        (e) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(e.status),
        600,
      );
      assert.equal(done.status, 'COMPLETED', done.error ?? undefined);
      assert.equal(done.progress, 100);
      assert.equal(done.retryCount, 0, 'a takeover is not a user retry');
      const file = Buffer.from(await (await fetch(done.fileUrl!)).arrayBuffer());
      const frames = ffprobe(file, ['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0']);
      assert.equal(frames.trim(), '80', 'the whole turntable, not the part the first worker made');
    } finally {
      await second.kill('SIGTERM');
    }
  });

  test('a failed attempt queues the export again with the reason; the next attempt completes it', async () => {
    const { owner, exportId } = await smallImageExport();
    // No worker runs yet: the state the export reads goes missing, then comes back after a failure.
    const [snapshot] = await withDb(
      async (db) => (await db.query('DELETE FROM design_snapshots WHERE id = $1 RETURNING *', [exportId])).rows,
    );
    const workers = await startWorkers(env);
    try {
      const retrying = await until(owner, exportId, (e) => e.status === 'QUEUED' && e.error !== null);
      assert.match(retrying.error!, /^attempt 1 failed: the state to export is missing/);
      await withDb((db) =>
        db.query('INSERT INTO design_snapshots (id, design_id, revision, state, created_at) VALUES ($1, $2, $3, $4, $5)', [
          snapshot.id,
          snapshot.design_id,
          snapshot.revision,
          snapshot.state,
          snapshot.created_at,
        ]),
      );
      const done = await until(owner, exportId, (e) => e.status === 'COMPLETED' || e.status === 'FAILED');
      assert.equal(done.status, 'COMPLETED', done.error ?? undefined);
      assert.equal(done.error, null, 'the earlier failure is not reported on a completed export');
      assert.equal((await fetch(done.fileUrl!)).status, 200);
    } finally {
      await workers.kill('SIGTERM');
    }
  });

  test('an export that fails every attempt ends FAILED with the reason after three', async () => {
    const { owner, exportId } = await smallImageExport();
    await withDb((db) => db.query('DELETE FROM design_snapshots WHERE id = $1', [exportId]));
    const seen = new Set<string>();
    const workers = await startWorkers(env);
    try {
      const done = await until(owner, exportId, (e) => {
        if (e.error) seen.add(e.error);
        return e.status === 'FAILED';
      });
      assert.equal(done.error, 'the state to export is missing from the snapshot store');
      assert.ok(seen.has('attempt 1 failed: the state to export is missing from the snapshot store'));
      assert.ok(seen.has('attempt 2 failed: the state to export is missing from the snapshot store'));
    } finally {
      await workers.kill('SIGTERM');
    }
  });

  test('an attempt past EXPORT_ATTEMPT_TIMEOUT_MS fails, is tried again, and the export ends FAILED saying why', async () => {
    const { owner, exportId } = await smallImageExport();
    const workers = await startWorkers({ ...env, EXPORT_ATTEMPT_TIMEOUT_MS: '1' });
    try {
      const done = await until(owner, exportId, (e) => e.status === 'FAILED');
      assert.equal(done.error, 'the attempt took longer than 1 ms');
    } finally {
      await workers.kill('SIGTERM');
    }
  });

  test("a user's exports in progress are capped by tier (free: 3); the one over is LIMIT_EXCEEDED and writes nothing; a cancelled one makes room", async () => {
    const free = await makeUser('free');
    const { id } = await makeDesign(free);
    const EXPORT = graphql(`
      mutation ($d: ID!) {
        exportDesign(designId: $d, input: { type: IMAGE, format: PNG, image: { width: 32, height: 32 } }) {
          id
        }
      }
    `);
    // No worker runs on this subgraph's queue: the exports stay QUEUED.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await gql(free, EXPORT, { d: id }, api.url)).data!.exportDesign.id);
    const over = await gql(free, EXPORT, { d: id }, api.url);
    assert.equal(over.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    assert.equal((await withDb((db) => db.query('SELECT count(*)::int AS n FROM exports WHERE design_id = $1', [id]))).rows[0].n, 3);
    await gql(
      free,
      graphql(`
        mutation ($e: ID!) {
          cancelExport(id: $e) {
            status
          }
        }
      `),
      { e: ids[0] },
      api.url,
    );
    assert.equal((await gql(free, EXPORT, { d: id }, api.url)).errors, undefined);
    const retry = await gql(
      free,
      graphql(`
        mutation ($e: ID!) {
          retryExport(id: $e) {
            status
          }
        }
      `),
      { e: ids[0] },
      api.url,
    );
    assert.equal(retry.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED', 'a retry counts too');
  });

  test('two retries of one export at once: one queues it, the other is refused; a cancel after completion is refused', async () => {
    const { owner, exportId } = await smallImageExport();
    await gql(
      owner,
      graphql(`
        mutation ($e: ID!) {
          cancelExport(id: $e) {
            status
          }
        }
      `),
      { e: exportId },
      api.url,
    );
    const RETRY = graphql(`
      mutation ($e: ID!) {
        retryExport(id: $e) {
          status
          retryCount
        }
      }
    `);
    const both = await Promise.all([gql(owner, RETRY, { e: exportId }, api.url), gql(owner, RETRY, { e: exportId }, api.url)]);
    assert.deepEqual(
      both
        .map((r) => r.data?.retryExport ?? r.errors?.[0]?.extensions?.code)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ['BAD_USER_INPUT', { status: 'QUEUED', retryCount: 1 }],
    );
    const workers = await startWorkers(env);
    try {
      const done = await until(owner, exportId, (e) => e.status === 'COMPLETED' || e.status === 'FAILED');
      assert.equal(done.status, 'COMPLETED');
      const cancel = await gql(
        owner,
        graphql(`
          mutation ($e: ID!) {
            cancelExport(id: $e) {
              status
            }
          }
        `),
        { e: exportId },
        api.url,
      );
      assert.equal(cancel.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal((await exportState(owner, exportId)).status, 'COMPLETED');
    } finally {
      await workers.kill('SIGTERM');
    }
  });

  test('a cancelled export can be retried for 7 days; then its state goes and a retry is refused', async () => {
    const { owner, exportId } = await smallImageExport();
    const cancelled = (
      await gql(
        owner,
        graphql(`
          mutation ($e: ID!) {
            cancelExport(id: $e) {
              status
              completedAt
              expiresAt
            }
          }
        `),
        { e: exportId },
        api.url,
      )
    ).data!.cancelExport;
    assert.equal(new Date(cancelled.expiresAt!).getTime() - new Date(cancelled.completedAt!).getTime(), 7 * 24 * 3600 * 1000);
    await withDb((db) => db.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [exportId]));
    const workers = await startWorkers(env);
    try {
      const kept = await pollUntil(
        async () =>
          (await withDb((db) => db.query('SELECT state_kept FROM exports WHERE id = $1', [exportId]))).rows[0].state_kept as boolean,
        (k) => !k,
      );
      assert.equal(kept, false);
      assert.equal(await snapshotKept(exportId), false, 'the row is marked first, then the snapshot goes');
      const retry = await gql(
        owner,
        graphql(`
          mutation ($e: ID!) {
            retryExport(id: $e) {
              status
            }
          }
        `),
        { e: exportId },
        api.url,
      );
      assert.equal(retry.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(retry.errors![0]!.message, /retried for 7 days/);
    } finally {
      await workers.kill('SIGTERM');
    }
  });

  test('without a browser the workers say so at start, and a render fails at once with the reason instead of three times', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const workers = await startWorkers({ ...env, LOG_LEVEL: 'info', RENDERER: 'chromium', CHROMIUM_PATH: '/nonexistent/chromium' });
    try {
      assert.match(workers.output(), /renders cannot work: CHROMIUM_PATH=\/nonexistent\/chromium does not exist/);
      assert.match(workers.output(), /videos: ffmpeg version/);
      const asked = await gql(
        owner,
        graphql(`
          mutation ($d: ID!) {
            requestRender(designId: $d, settings: { width: 32, height: 32 }) {
              id
            }
          }
        `),
        { d: id },
        api.url,
      );
      const renderId = asked.data!.requestRender.id as string;
      const render = await pollUntil(
        async () =>
          (
            await gql(
              owner,
              graphql(`
                query ($id: ID!) {
                  render(id: $id) {
                    status
                    error
                  }
                }
              `),
              { id: renderId },
              api.url,
            )
          ).data!.render,
        (r) => r!.status === 'FAILED' || r!.status === 'COMPLETED',
        100,
      );
      assert.equal(render!.status, 'FAILED');
      assert.match(render!.error!, /^CHROMIUM_PATH=\/nonexistent\/chromium does not exist/, 'the first attempt is the last');
    } finally {
      await workers.kill('SIGTERM');
    }
  });
});
