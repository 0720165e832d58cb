import { compare } from 'fast-json-patch';
import { createServiceContext } from '../../src/context';
import { canonicalJson } from '../../src/services/changes/canonical-hash';
import { DesignEventType } from '../../src/events/design-event';
import { loadDesignState } from '../../src/services/state/load-design-state';
import type { DesignState } from '../../src/services/state/design-state';
import type { JobHandler } from '../job-handler';

const content = ({ revision: _r, ...rest }: DesignState) => canonicalJson(rest);

/**
 * A recovery point of the design as it is now: stored with its diff from the previous autosave and
 * an expiry, the design's last autosave time set, AUTOSAVED published. Skipped when the content has
 * not changed since the last autosave (a collaborator change, say).
 */
export const autosaveDesignJob: JobHandler<'autosave-design'> = {
  name: 'autosave-design',
  async handle({ designId }, app) {
    const ctx = createServiceContext(app, null);
    const state = await loadDesignState(ctx, designId);
    if (!state) return 'design gone';
    const now = new Date();
    const previous = await app.store.latestAutosave(designId, now);
    if (previous && content(previous.state) === content(state)) return `unchanged since autosave ${previous.number}`;
    const saved = await app.store.saveAutosave({
      designId,
      revision: state.revision,
      state,
      diff: previous ? compare(previous.state, state) : null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + app.config.autosaveRetentionMs),
    });
    await app.db.query(`UPDATE designs SET last_autosave_at = $2 WHERE id = $1`, [designId, now]);
    await app.events.publish({
      designId,
      revision: state.revision,
      type: DesignEventType.AUTOSAVED,
      actorId: null,
      at: now.toISOString(),
      sideband: true,
    });
    return `autosave ${saved.number} at revision ${state.revision}`;
  },
};
