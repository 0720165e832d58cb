import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import { VersionKind } from '../../../entities/version.entity';
import type { ServiceContext } from '../../context';
import { notFound } from '../../errors/design-error';
import { DesignEventType, toJson } from '../../events/design-event';
import { findVersion } from '../../repositories/version.repository';
import type { ChangeData, ChangeDataOf } from '../../domain/change-log';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { assertLayerLimit, layerLimitTier } from '../layers/open-layer-change';
import { applyDesignState } from '../state/apply-design-state';
import type { DesignState } from '../../domain/design-state';
import { captureVersion } from './capture-version';

type RestoreSource = { state: DesignState; message: string } & (
  | { action: HistoryAction.VERSION_RESTORED; data: Omit<ChangeDataOf[HistoryAction.VERSION_RESTORED], 'version'> }
  | { action: HistoryAction.AUTOSAVE_RESTORED; data: Omit<ChangeDataOf[HistoryAction.AUTOSAVE_RESTORED], 'version'> }
);

/**
 * Makes an earlier state current as a new revision with a RESTORE version; nothing of the history is
 * rewritten. Restores are not undoable (docs/collaboration.md U1).
 */
async function restore(
  tx: ServiceContext,
  designId: string,
  expectedRevision: number | null | undefined,
  source: (design: DesignEntity) => Promise<RestoreSource>,
): Promise<DesignEntity> {
  const design = await openChange(tx, designId, Permission.Edit, expectedRevision);
  const { state, action, data, message } = await source(design);
  assertLayerLimit(tx, layerLimitTier(tx, design), state.layers.length);
  await applyDesignState(tx, design, state);
  const version = await captureVersion(tx, design, VersionKind.RESTORE, { revision: design.revision + 1, message });
  await recordChange(tx, design, {
    // One of the two restore actions with its own data; TypeScript cannot follow the pair through the spread.
    ...({ action, data: { ...data, version: version.number } } as ChangeData),
    event: { type: DesignEventType.RESTORED, version: toJson(version) },
    withDesign: true,
  });
  return design;
}

export function restoreVersion(tx: ServiceContext, props: { designId: string; version: number; expectedRevision?: number | null }) {
  return restore(tx, props.designId, props.expectedRevision, async (design) => {
    const version = await findVersion(tx.manager, design.id, props.version);
    const [snapshot] = version ? await tx.store.getSnapshots([version.snapshotId]) : [];
    if (!version || !snapshot) throw notFound('Version');
    return {
      state: snapshot.state,
      action: HistoryAction.VERSION_RESTORED,
      data: { fromVersion: version.number, restoredRevision: version.revision },
      message: `Restored version ${version.number}`,
    };
  });
}

export function restoreAutosave(tx: ServiceContext, props: { designId: string; number: number; expectedRevision?: number | null }) {
  return restore(tx, props.designId, props.expectedRevision, async (design) => {
    const autosave = await tx.store.getAutosave(design.id, props.number, new Date());
    if (!autosave) throw notFound('Autosave');
    return {
      state: autosave.state,
      action: HistoryAction.AUTOSAVE_RESTORED,
      data: { fromAutosave: autosave.number, restoredRevision: autosave.revision },
      message: `Restored autosave ${autosave.number}`,
    };
  });
}
