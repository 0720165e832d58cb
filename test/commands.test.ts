import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from 'pg';
import { inTransaction } from '../src/context';
import { DesignEventType } from '../src/events/design-event';
import { createDesign } from '../src/services/designs/create-design';
import { requestRender } from '../src/services/renders/request-render';
import { createCheckpoint } from '../src/services/versions/create-checkpoint';
import { addCollaborator } from '../src/services/collaborators/collaborators';
import { updateDesign } from '../src/services/designs/update-design';
import { updateLayer } from '../src/services/layers/update-layer';
import { CollaboratorRole } from '../entities/enums';
import { DesignError, ErrorCode } from '../src/errors/design-error';
import { pollUntil, withDb } from './helpers';
import { addLayerIn, asUser, inProcessApp, makeDesignIn, recordEvents } from './in-process';

/** The design's change log, oldest first, as stored. */
async function changeLog(designId: string): Promise<{ revision: number; action: string; data: Record<string, unknown> }[]> {
  return withDb(
    async (db) =>
      (await db.query('SELECT revision, action, data FROM design_history WHERE design_id = $1 ORDER BY revision', [designId])).rows,
  );
}

/** Rows a checkpoint of the design writes: its versions and their snapshots. */
async function versionRows(designId: string) {
  return withDb(async (db) => {
    const versions = (await db.query('SELECT count(*)::int AS n FROM design_versions WHERE design_id = $1', [designId])).rows[0]
      .n as number;
    const snapshots = (await db.query('SELECT count(*)::int AS n FROM design_snapshots WHERE design_id = $1', [designId])).rows[0]
      .n as number;
    return { versions, snapshots };
  });
}

describe('commands in process: one transaction, events after commit', () => {
  const services = inProcessApp();

  test('a checkpoint commits its version, its snapshot and a VERSION_CREATED event together', async () => {
    const ctx = asUser(services.app());
    const design = await inTransaction(ctx, (tx) => createDesign(tx, { name: 'Checkpointed' }));
    const before = await versionRows(design.id);
    const recorder = await recordEvents(services.app(), design.id);
    try {
      const version = await inTransaction(ctx, (tx) => createCheckpoint(tx, { designId: design.id, message: 'first' }));
      assert.deepEqual(await versionRows(design.id), { versions: before.versions + 1, snapshots: before.snapshots + 1 });
      const events = await pollUntil(
        async () => recorder.events,
        (e) => e.length > 0,
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.revision]),
        [['VERSION_CREATED', design.revision + 1]],
      );
      assert.equal(version.number, before.versions + 1);
    } finally {
      await recorder.stop();
    }
  });

  test('a checkpoint whose transaction rolls back leaves no version, no snapshot and no event', async () => {
    const ctx = asUser(services.app());
    const design = await inTransaction(ctx, (tx) => createDesign(tx, { name: 'Rolled back' }));
    const before = await versionRows(design.id);
    const recorder = await recordEvents(services.app(), design.id);
    try {
      await assert.rejects(
        inTransaction(ctx, async (tx) => {
          await createCheckpoint(tx, { designId: design.id, message: 'never' });
          throw new Error('something after it failed');
        }),
        /something after it failed/,
      );
      assert.deepEqual(await versionRows(design.id), before);
      // A committed change after it is the first event: nothing was published for the rolled-back one.
      await inTransaction(ctx, (tx) => createCheckpoint(tx, { designId: design.id, message: 'kept' }));
      const events = await pollUntil(
        async () => recorder.events,
        (e) => e.length > 0,
      );
      assert.deepEqual(
        events.map((e) => e.type),
        ['VERSION_CREATED'],
      );
      assert.equal(events[0]!.revision, design.revision + 1, 'the rolled-back checkpoint took no revision');
    } finally {
      await recorder.stop();
    }
  });

  test('equal render requests at the same moment share one render: the unique index on renders in flight decides', async () => {
    const ctx = asUser(services.app());
    const design = await inTransaction(ctx, (tx) => createDesign(tx, { name: 'Rendered at once' }));
    const renders = await Promise.all(
      Array.from({ length: 6 }, () => requestRender(ctx, { designId: design.id, settings: { width: 40, height: 40 } })),
    );
    assert.equal(new Set(renders.map((r) => r.id)).size, 1, 'one render for six equal requests');
    const rows = await withDb((db) => db.query('SELECT count(*)::int AS n FROM renders WHERE design_id = $1', [design.id]));
    assert.equal(rows.rows[0].n, 1);
  });

  test('addLayer commits the layer, one LAYER_ADDED entry holding the layer, and a LAYER_ADDED event at that revision', async () => {
    const ctx = asUser(services.app());
    const design = await makeDesignIn(ctx);
    const recorder = await recordEvents(services.app(), design.id);
    try {
      const layer = await addLayerIn(ctx, design.id, { name: 'Base', opacity: 80 });
      const entries = await changeLog(design.id);
      assert.deepEqual(
        entries.map((e) => [e.revision, e.action]),
        [
          [design.revision, 'DESIGN_CREATED'],
          [design.revision + 1, 'LAYER_ADDED'],
        ],
      );
      const stored = entries[1]!.data as { layer: { id: string; name: string; opacity: number; order: number } };
      assert.deepEqual([stored.layer.id, stored.layer.name, stored.layer.opacity, stored.layer.order], [layer.id, 'Base', 80, 0]);
      const events = await pollUntil(
        async () => recorder.events,
        (e) => e.length > 0,
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.revision, e.type === DesignEventType.LAYER_ADDED ? e.layer.id : null]),
        [['LAYER_ADDED', design.revision + 1, layer.id]],
      );
    } finally {
      await recorder.stop();
    }
  });

  test('an addLayer refused inside its transaction leaves no layer, no change-log entry, no revision and no event', async () => {
    const ctx = asUser(services.app());
    const design = await makeDesignIn(ctx);
    await addLayerIn(ctx, design.id);
    const recorder = await recordEvents(services.app(), design.id);
    try {
      await assert.rejects(addLayerIn(ctx, design.id, { order: 5 }), /order/);
      const rows = await withDb(async (db) => ({
        layers: (await db.query('SELECT count(*)::int AS n FROM layers WHERE design_id = $1', [design.id])).rows[0].n as number,
        revision: (await db.query('SELECT revision FROM designs WHERE id = $1', [design.id])).rows[0].revision as number,
      }));
      assert.deepEqual(rows, { layers: 1, revision: design.revision + 1 });
      assert.equal((await changeLog(design.id)).length, 2);
      await addLayerIn(ctx, design.id);
      const events = await pollUntil(
        async () => recorder.events,
        (e) => e.length > 0,
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.revision]),
        [['LAYER_ADDED', design.revision + 2]],
        'the first event is the later layer: nothing was published for the refused one',
      );
    } finally {
      await recorder.stop();
    }
  });
  test('an edit that waited for the design while its author lost access is refused: the role is read after the wait', async () => {
    const owner = asUser(services.app());
    const editor = asUser(services.app());
    const design = await makeDesignIn(owner);
    const layer = await addLayerIn(owner, design.id);
    await inTransaction(owner, (tx) =>
      addCollaborator(tx, { designId: design.id, userId: editor.viewer!.userId, role: CollaboratorRole.EDITOR }),
    );
    const waitingEdits = async () =>
      withDb(
        async (db) =>
          (
            await db.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE '%FOR UPDATE OF d%'`,
            )
          ).rows[0].n as number,
      );
    for (const edit of [
      () => updateLayer(editor, { layerId: layer.id, opacity: 10 }),
      () => inTransaction(editor, (tx) => updateDesign(tx, { designId: design.id, name: 'Renamed' })),
    ]) {
      // The editor is removed by a transaction of another process (no turn of this one), held open until the edit waits on the design's row.
      const holder = new Client({ connectionString: process.env.DATABASE_URL });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM designs WHERE id = $1 FOR UPDATE', [design.id]);
        await holder.query('DELETE FROM collaborators WHERE design_id = $1 AND user_id = $2', [design.id, editor.viewer!.userId]);
        await holder.query('UPDATE designs SET revision = revision + 1 WHERE id = $1', [design.id]);
        const refused = assert.rejects(edit(), (error: DesignError) => error.code === ErrorCode.NotFound);
        assert.ok((await pollUntil(waitingEdits, (n) => n >= 1)) >= 1, 'the edit waits on the row lock');
        await holder.query('COMMIT');
        await refused;
      } finally {
        await holder.end();
      }
      await inTransaction(owner, (tx) =>
        addCollaborator(tx, { designId: design.id, userId: editor.viewer!.userId, role: CollaboratorRole.EDITOR }),
      );
    }
    const stored = await withDb(
      async (db) =>
        (await db.query('SELECT l.opacity, d.name FROM layers l JOIN designs d ON d.id = l.design_id WHERE l.id = $1', [layer.id]))
          .rows[0] as { opacity: number; name: string },
    );
    assert.deepEqual(stored, { opacity: layer.opacity, name: design.name });
  });
});
