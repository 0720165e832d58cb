import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExportFormat, ExportStatus, ExportType } from '../entities/export.entity';
import { RenderStatus } from '../entities/render.entity';
import { createServiceContext, inTransaction, type ServiceContext } from '../src/context';
import { createDesign } from '../src/services/designs/create-design';
import { cancelExport, exportDesign } from '../src/services/exports/export-commands';
import { completeExport, startExport } from '../src/services/exports/export-lifecycle';
import { completeRender, failRenderAttempt, startRender } from '../src/services/renders/render-lifecycle';
import { requestRender } from '../src/services/renders/request-render';
import { removeOrphanSnapshots } from '../src/services/cleanup/remove-orphan-snapshots';
import { randomUUID } from 'node:crypto';
import { pollUntil, snapshotKept, withDb } from './helpers';
import { asUser, inProcessApp, recordEvents } from './in-process';

/**
 * The render and export commands the jobs call, run here in process against queues no worker
 * takes from (a Redis prefix of their own), so each step is the test's.
 */
describe('render and export lifecycles as commands', () => {
  const services = inProcessApp({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}lifecycle:` });
  const system = (): ServiceContext => createServiceContext(services.app(), null);

  test('a render goes QUEUED -> RENDERING -> COMPLETED through its commands, fills the cache, drops its state, and a late job changes nothing', async () => {
    const owner = asUser(services.app());
    const design = await inTransaction(owner, (tx) => createDesign(tx, { name: 'Lifecycle render' }));
    const recorder = await recordEvents(services.app(), design.id);
    try {
      const render = await requestRender(owner, { designId: design.id, settings: { width: 40, height: 40 } });
      assert.equal(render.status, RenderStatus.QUEUED);
      assert.ok(await snapshotKept(render.id), 'the state to render is kept under its id');
      const started = await inTransaction(system(), (tx) => startRender(tx, { renderId: render.id }));
      assert.equal(started?.render.status, RenderStatus.RENDERING);
      assert.equal(started?.state.revision, design.revision);
      const done = await inTransaction(system(), (tx) =>
        completeRender(tx, { render: started!.render, fileKey: 'renders/x/y.png', durationMs: 5 }),
      );
      assert.equal(done, true);
      assert.equal(await snapshotKept(render.id), false, 'the state goes with the completed render');
      assert.equal((await services.app().store.getRenderCache(render.renderHash, new Date()))?.fileKey, 'renders/x/y.png');
      assert.equal(
        await inTransaction(system(), (tx) => startRender(tx, { renderId: render.id })),
        null,
        'a late job finds nothing to render',
      );
      const failed = await inTransaction(system(), (tx) =>
        failRenderAttempt(tx, { renderId: render.id, reason: 'late', attempt: 3, final: true }),
      );
      assert.equal(failed, null, 'a finished render is never failed afterwards');
      const statuses = await pollUntil(
        async () =>
          recorder.events.filter((e) => e.type === 'RENDER_UPDATED').map((e) => (e.type === 'RENDER_UPDATED' ? e.render.status : null)),
        (s) => s.length >= 2,
      );
      assert.deepEqual(statuses, ['RENDERING', 'COMPLETED']);
    } finally {
      await recorder.stop();
    }
  });

  test('a cancelled export is not started by its job, and cannot be completed', async () => {
    const owner = asUser(services.app());
    const design = await inTransaction(owner, (tx) => createDesign(tx, { name: 'Lifecycle export' }));
    const exported = await exportDesign(owner, {
      designId: design.id,
      input: { type: ExportType.IMAGE, format: ExportFormat.PNG, image: { width: 32, height: 32 } },
    });
    assert.equal(exported.status, ExportStatus.QUEUED);
    const cancelled = await inTransaction(owner, (tx) => cancelExport(tx, { exportId: exported.id }));
    assert.equal(cancelled.status, ExportStatus.CANCELLED);
    const started = await inTransaction(system(), (tx) => startExport(tx, { exportId: exported.id, retryCount: 0 }));
    assert.deepEqual(started, { skipped: 'nothing to do (CANCELLED)' });
    const completed = await inTransaction(system(), (tx) =>
      completeExport(tx, { exported, fileKey: 'exports/x', fileName: 'x.png', fileSize: 1 }),
    );
    assert.equal(completed, false);
  });

  test('snapshots nothing refers to (a MongoDB write whose transaction rolled back) are removed; those a render on its way needs stay', async () => {
    const owner = asUser(services.app());
    const design = await inTransaction(owner, (tx) => createDesign(tx, { name: 'Orphans' }));
    const render = await requestRender(owner, { designId: design.id, settings: { width: 36, height: 36 } });
    const orphan = randomUUID();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    const state = (await services.app().store.getSnapshots([render.id]))[0]!.state;
    await services
      .app()
      .store.saveSnapshot({ id: orphan, designId: design.id, revision: state.revision, state, createdAt: twoHoursAgo, versionId: null });
    await withDb((db) => db.query(`UPDATE design_snapshots SET created_at = $2 WHERE id = $1`, [render.id, twoHoursAgo]));
    await inTransaction(system(), (tx) => removeOrphanSnapshots(tx, { now: new Date() }));
    assert.equal(await snapshotKept(orphan), false, 'the orphan is gone');
    assert.equal(await snapshotKept(render.id), true, 'the queued render keeps its state');
  });
});
