import { HistoryAction } from '../../../entities/enums';
import type { StackChange } from '../../repositories/history.repository';
import { UNDOABLE_ACTIONS } from './reverters';

/** A new own change of the content clears the user's redo stack (U3); restores count as such a change. */
const CLEARS_REDO: ReadonlySet<HistoryAction> = new Set([
  ...UNDOABLE_ACTIONS,
  HistoryAction.VERSION_RESTORED,
  HistoryAction.AUTOSAVE_RESTORED,
]);

/** What a change of `action` does to its actor's stacks (recorded with it, by advanceRevision). */
export function stackChange(action: HistoryAction): StackChange {
  return { clearRedo: CLEARS_REDO.has(action), pushUndo: UNDOABLE_ACTIONS.has(action) };
}
