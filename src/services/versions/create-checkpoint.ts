import { HistoryAction } from '../../../entities/enums';
import { VersionKind, type VersionEntity } from '../../../entities/version.entity';
import type { ServiceContext } from '../../context';
import { DesignEventType, toJson } from '../../events/design-event';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { captureVersion } from './capture-version';

/** A named version of the current state; it takes a revision of its own so that subscribers see it in order. */
export async function createCheckpoint(tx: ServiceContext, props: { designId: string; message?: string | null }): Promise<VersionEntity> {
  const design = await openChange(tx, props.designId, Permission.Edit);
  const version = await captureVersion(tx, design, VersionKind.CHECKPOINT, { revision: design.revision + 1, message: props.message });
  await recordChange(tx, design, {
    action: HistoryAction.CHECKPOINT_CREATED,
    data: { version: version.number, message: version.message },
    event: { type: DesignEventType.VERSION_CREATED, version: toJson(version) },
  });
  return version;
}
