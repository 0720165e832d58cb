import type { DesignEntity } from '../../../entities/design.entity';
import { DesignStatus, HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { updateDesignFields } from '../../repositories/design.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';

const ACTION = {
  [DesignStatus.PUBLISHED]: HistoryAction.DESIGN_PUBLISHED,
  [DesignStatus.ARCHIVED]: HistoryAction.DESIGN_ARCHIVED,
} as const;

/** Publish or archive (owner only). Setting the status it already has changes nothing. */
export async function setDesignStatus(
  tx: ServiceContext,
  props: { designId: string; status: DesignStatus.PUBLISHED | DesignStatus.ARCHIVED; expectedRevision?: number | null },
): Promise<DesignEntity> {
  const design = await openChange(tx, props.designId, Permission.Manage, props.expectedRevision);
  if (design.status === props.status) return design;
  const now = new Date();
  const after: Partial<DesignEntity> = { status: props.status };
  if (props.status === DesignStatus.PUBLISHED && !design.publishedAt) after.publishedAt = now;
  const before = { status: design.status, publishedAt: design.publishedAt };
  await updateDesignFields(tx.manager, design.id, after);
  Object.assign(design, after);
  await recordChange(tx, design, {
    action: ACTION[props.status],
    data: { before, after },
    event: { type: DesignEventType.DESIGN_UPDATED },
    withDesign: true,
    at: now,
  });
  return design;
}
