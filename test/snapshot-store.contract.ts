import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DesignState } from '../src/domain/design-state';
import type { SnapshotStore } from '../src/storage/snapshot-store';

const DAY = 24 * 3600 * 1000;

export function sampleState(revision: number, name = 'State'): DesignState {
  return {
    revision,
    design: { name, description: null, avatarId: null, category: null, tags: ['t'], occasions: [], seasons: [] },
    layers: [],
    layerGroups: [],
    canvas: {
      camera: { position: { x: 0, y: 1.6, z: 3 }, target: { x: 0, y: 1, z: 0 }, fov: 50 },
      lighting: { preset: 'STUDIO', intensity: 1 } as DesignState['canvas']['lighting'],
      background: { type: 'COLOR', value: '#f0f0f0' } as DesignState['canvas']['background'],
      showGrid: true,
      showGuides: false,
      snapToGrid: false,
      gridSize: 10,
      renderQuality: 'STANDARD' as DesignState['canvas']['renderQuality'],
      antialiasing: true,
      shadows: true,
      ambientOcclusion: false,
    },
  };
}

/** The behaviour every snapshot store adapter must have; each adapter's test file calls this once. */
export function registerSnapshotStoreTests(name: string, create: () => Promise<SnapshotStore>) {
  describe(`snapshot store contract: ${name}`, () => {
    let store: SnapshotStore;
    before(async () => {
      store = await create();
    });
    after(async () => {
      await store.close();
    });

    test('snapshots are found by when they were written, oldest first, within the bounds', async () => {
      const base = new Date(Date.now() - 400 * DAY);
      const written = [0, 1, 2].map((i) => ({
        id: randomUUID(),
        designId: randomUUID(),
        revision: 1,
        state: sampleState(1),
        createdAt: new Date(base.getTime() + i * 1000),
        versionId: null,
      }));
      for (const snapshot of [...written].reverse()) await store.saveSnapshot(snapshot);
      const found = await store.snapshotIdsWritten(base, new Date(base.getTime() + 2000), 10);
      assert.deepEqual(found, [written[0]!.id, written[1]!.id]);
      await store.deleteSnapshots(written.map((w) => w.id));
    });

    test('a saved snapshot comes back whole, by id, and saving it again changes nothing', async () => {
      const snapshot = {
        id: randomUUID(),
        designId: randomUUID(),
        revision: 3,
        state: sampleState(3),
        createdAt: new Date(),
        versionId: randomUUID(),
      };
      await store.saveSnapshot(snapshot);
      await store.saveSnapshot({ ...snapshot, state: sampleState(3, 'Other') });
      const [back] = await store.getSnapshots([snapshot.id, randomUUID()]);
      assert.equal(back!.id, snapshot.id);
      assert.equal(back!.revision, 3);
      assert.deepEqual(back!.state, snapshot.state);
      assert.equal(back!.createdAt.getTime(), snapshot.createdAt.getTime());
      assert.equal(back!.versionId, snapshot.versionId);
    });

    test('a version has one snapshot: another snapshot of the same design and version is refused', async () => {
      const first = {
        id: randomUUID(),
        designId: randomUUID(),
        revision: 1,
        state: sampleState(1),
        createdAt: new Date(),
        versionId: randomUUID(),
      };
      await store.saveSnapshot(first);
      await assert.rejects(store.saveSnapshot({ ...first, id: randomUUID() }));
      // Snapshots of renders and exports have no version: any number of them.
      await store.saveSnapshot({ ...first, id: randomUUID(), versionId: null });
      await store.saveSnapshot({ ...first, id: randomUUID(), versionId: null });
    });

    test('deleted snapshots are gone; the others stay', async () => {
      const [a, b] = [randomUUID(), randomUUID()].map((id) => ({
        id,
        designId: randomUUID(),
        revision: 1,
        state: sampleState(1),
        createdAt: new Date(),
        versionId: null,
      }));
      await store.saveSnapshot(a!);
      await store.saveSnapshot(b!);
      await store.deleteSnapshots([a!.id, randomUUID()]);
      await store.deleteSnapshots([]);
      assert.deepEqual(
        (await store.getSnapshots([a!.id, b!.id])).map((s) => s.id),
        [b!.id],
      );
    });

    test('autosaves are numbered 1, 2, 3 per design and paged newest first, each with whose change it saved', async () => {
      const designId = randomUUID();
      const editor = randomUUID();
      const now = new Date();
      for (let revision = 1; revision <= 5; revision++) {
        const saved = await store.saveAutosave({
          designId,
          revision,
          state: sampleState(revision),
          diff: null,
          userId: revision === 5 ? editor : null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + DAY),
        });
        assert.equal(saved.number, revision);
      }
      const first = await store.pageAutosaves(designId, 2, null, now);
      assert.deepEqual(
        first.rows.map((a) => a.number),
        [5, 4],
      );
      assert.equal(first.totalCount, 5);
      assert.equal(first.hasNextPage, true);
      const second = await store.pageAutosaves(designId, 10, 4, now);
      assert.deepEqual(
        second.rows.map((a) => a.number),
        [3, 2, 1],
      );
      assert.equal(second.hasNextPage, false);
      assert.equal((await store.latestAutosave(designId, now))!.number, 5);
      assert.equal((await store.latestAutosave(designId, now))!.userId, editor);
      assert.equal((await store.getAutosave(designId, 1, now))!.userId, null);
      assert.deepEqual((await store.getAutosave(designId, 2, now))!.state, sampleState(2));
    });

    test('concurrent autosaves of one design get distinct numbers', async () => {
      const designId = randomUUID();
      const now = new Date();
      const saved = await Promise.all(
        [1, 2, 3, 4].map((revision) =>
          store.saveAutosave({
            designId,
            revision,
            state: sampleState(revision),
            diff: null,
            userId: null,
            createdAt: now,
            expiresAt: new Date(now.getTime() + DAY),
          }),
        ),
      );
      assert.deepEqual(saved.map((a) => a.number).sort(), [1, 2, 3, 4]);
    });

    test('the render cache keeps the first entry of a hash until it expires, counting its hits', async () => {
      const renderHash = randomUUID();
      const now = new Date();
      const entry = {
        renderHash,
        fileKey: 'renders/a.png',
        width: 64,
        height: 32,
        format: 'PNG',
        createdAt: now,
        expiresAt: new Date(now.getTime() + DAY),
      };
      assert.equal(await store.getRenderCache(renderHash, now), null);
      await store.putRenderCache(entry);
      await store.putRenderCache({ ...entry, fileKey: 'renders/b.png' });
      assert.deepEqual(await store.getRenderCache(renderHash, now), { ...entry, hitCount: 1, lastAccessed: now });
      const later = new Date(now.getTime() + 1000);
      assert.deepEqual(await store.getRenderCache(renderHash, later), { ...entry, hitCount: 2, lastAccessed: later });
      assert.equal(await store.getRenderCache(renderHash, new Date(now.getTime() + 2 * DAY)), null);
      const expired = { ...entry, renderHash: randomUUID(), expiresAt: new Date(now.getTime() - 1) };
      await store.putRenderCache(expired);
      assert.ok((await store.deleteExpiredRenderCache(now)) >= 1);
      await store.putRenderCache({ ...expired, fileKey: 'renders/c.png', expiresAt: new Date(now.getTime() + DAY) });
      assert.equal((await store.getRenderCache(expired.renderHash, now))!.fileKey, 'renders/c.png');
    });

    test('expired autosaves are never returned, and are removed on request', async () => {
      const designId = randomUUID();
      // Two days on, rather than already expired: the workers' own clean-up (every second in the tests)
      // must not remove it before this test asks the store to.
      const now = new Date(Date.now() + 2 * DAY);
      await store.saveAutosave({
        designId,
        revision: 1,
        state: sampleState(1),
        diff: null,
        userId: null,
        createdAt: new Date(now.getTime() - 8 * DAY),
        expiresAt: new Date(now.getTime() - DAY),
      });
      await store.saveAutosave({
        designId,
        revision: 2,
        state: sampleState(2),
        diff: [{ op: 'replace', path: '/revision', value: 2 }],
        userId: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + DAY),
      });
      assert.equal(await store.getAutosave(designId, 1, now), null);
      assert.deepEqual(
        (await store.pageAutosaves(designId, 10, null, now)).rows.map((a) => a.number),
        [2],
      );
      assert.deepEqual((await store.getAutosave(designId, 2, now))!.diff, [{ op: 'replace', path: '/revision', value: 2 }]);
      assert.ok((await store.deleteExpiredAutosaves(now)) >= 1);
      assert.equal((await store.pageAutosaves(designId, 10, null, new Date(0))).totalCount, 1);
    });
  });
}
