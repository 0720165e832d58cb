import type { EntityManager } from 'typeorm';
import { HistoryAction } from '../../../entities/enums';
import { keepStacks } from '../../repositories/undo.repository';
import { UNDOABLE_ACTIONS } from './reverters';

/** A new own change of the content clears the user's redo stack (U3); restores count as such a change. */
const CLEARS_REDO: ReadonlySet<HistoryAction> = new Set([
  ...UNDOABLE_ACTIONS,
  HistoryAction.VERSION_RESTORED,
  HistoryAction.AUTOSAVE_RESTORED,
]);

/** Keeps the actor's stacks in step with a change they just recorded (same transaction). */
export async function trackUndo(
  m: EntityManager,
  designId: string,
  userId: string,
  revision: number,
  action: HistoryAction,
): Promise<void> {
  const clearRedo = CLEARS_REDO.has(action);
  const pushUndo = UNDOABLE_ACTIONS.has(action);
  if (clearRedo || pushUndo) await keepStacks(m, designId, userId, { revision, clearRedo, pushUndo });
}
