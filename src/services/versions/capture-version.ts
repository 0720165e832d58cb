import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { VersionKind, type VersionEntity } from '../../../entities/version.entity';
import type { ServiceContext } from '../../context';
import { updateDesignFields } from '../../repositories/design.repository';
import { findLatestVersion, insertVersion } from '../../repositories/version.repository';
import { readDesignState } from '../state/load-design-state';
import { diffStates } from './design-diff';

/**
 * Makes the design's current state (in this transaction, with the design locked) the next version:
 * its snapshot goes to the snapshot store, the version row keeps the diff from the previous version.
 * `revision` is the revision the version stands for (the change being recorded with it).
 * The snapshot is written in the same transaction (PostgreSQL): a rollback leaves neither.
 */
export async function captureVersion(
  tx: ServiceContext,
  design: DesignEntity,
  kind: VersionKind,
  options: { revision: number; message?: string | null },
): Promise<VersionEntity> {
  const state = (await readDesignState(tx.manager, design.id))!;
  state.revision = options.revision;
  const previous = await findLatestVersion(tx.manager, design.id);
  const number = (previous?.number ?? 0) + 1;
  const [previousSnapshot] = previous ? await tx.store.getSnapshots([previous.snapshotId]) : [];
  const now = new Date();
  const version: VersionEntity = {
    id: randomUUID(),
    designId: design.id,
    number,
    kind,
    message: options.message ?? null,
    createdBy: tx.viewer?.userId ?? null,
    createdAt: now,
    revision: options.revision,
    snapshotId: randomUUID(),
    diff: previous && previousSnapshot ? { ...diffStates(previous.number, previousSnapshot.state, number, state) } : null,
  };
  await tx.store.saveSnapshot({
    id: version.snapshotId,
    designId: design.id,
    revision: options.revision,
    state,
    createdAt: now,
    versionId: version.id,
  });
  await insertVersion(tx.manager, version);
  await updateDesignFields(tx.manager, design.id, { version: number });
  design.version = number;
  return version;
}
