import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import { requireViewer, type ServiceContext } from '../../context';
import { badInput } from '../../errors/design-error';
import { findHistoryEntry } from '../../repositories/history.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { revert, type Direction } from './reverters';
import { markUndone, topOfStack } from '../../repositories/undo.repository';

/**
 * Undo: reverts the caller's newest change not yet undone, as a new revision; redo re-applies the
 * one they undid last (docs/collaboration.md U1-U4). Only the caller's own changes are touched.
 */
async function step(tx: ServiceContext, designId: string, direction: Direction): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  const design = await openChange(tx, designId, Permission.Edit);
  const entry = await topOfStack(tx.manager, design.id, viewer.userId, direction);
  if (!entry)
    throw badInput(
      'designId',
      direction === 'undo' ? 'nothing of yours to undo on this design' : 'nothing of yours to redo on this design',
    );
  const change = (await findHistoryEntry(tx.manager, design.id, entry.revision))!;
  const reverted = await revert(tx, design, change, direction);
  await recordChange(tx, design, {
    action: direction === 'undo' ? HistoryAction.UNDO : HistoryAction.REDO,
    data: { revision: change.revision, action: change.action, ...reverted.applied },
    event: reverted.event,
    withDesign: reverted.withDesign,
  });
  await markUndone(tx.manager, entry.seq, direction === 'undo');
  return design;
}

export const undo = (tx: ServiceContext, props: { designId: string }) => step(tx, props.designId, 'undo');
export const redo = (tx: ServiceContext, props: { designId: string }) => step(tx, props.designId, 'redo');
