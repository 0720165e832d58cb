import { badInput } from '../../errors/design-error';
import { MAX_SELECTED_LAYERS, PRESENCE_COLOR, SESSION_ID, type PresencePatch } from '../../domain/presence';

/** [PR2] A session id is chosen by the client: 8 to 64 letters, digits, '-' or '_' (a UUID fits). */
export function assertSessionId(sessionId: string): void {
  if (!SESSION_ID.test(sessionId)) throw badInput('sessionId', "must be 8 to 64 letters, digits, '-' or '_' (a UUID fits)");
}

/** The patch's own limits, before anything is read; returns the selection without repeats. */
export function checkPatch(patch: PresencePatch): string[] | null {
  if (patch.color !== undefined && patch.color !== null && !PRESENCE_COLOR.test(patch.color)) {
    throw badInput('input.color', 'must be #rrggbb');
  }
  if (patch.selectedLayerIds === undefined || patch.selectedLayerIds === null) return null;
  const selected = [...new Set(patch.selectedLayerIds)];
  if (selected.length > MAX_SELECTED_LAYERS) throw badInput('input.selectedLayerIds', `at most ${MAX_SELECTED_LAYERS} layers`);
  return selected;
}
