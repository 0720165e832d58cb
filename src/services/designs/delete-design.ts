import { HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { deleteCommentsOfDesign } from '../../repositories/comment.repository';
import { updateDesignFields } from '../../repositories/design.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';

/**
 * Soft delete (owner only): the design disappears for everyone; its rows stay for the change log.
 * Its comments are not part of that log and nobody can reach them again: they go [CM8].
 */
export async function deleteDesign(tx: ServiceContext, props: { designId: string }): Promise<boolean> {
  const design = await openChange(tx, props.designId, Permission.Manage);
  const now = new Date();
  await recordChange(tx, design, {
    action: HistoryAction.DESIGN_DELETED,
    data: {},
    event: { type: DesignEventType.DESIGN_DELETED },
    at: now,
  });
  await updateDesignFields(tx.manager, design.id, { deletedAt: now });
  await deleteCommentsOfDesign(tx.manager, design.id);
  return true;
}
