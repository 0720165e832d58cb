import { compare } from 'fast-json-patch';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { findDesignById, setLastAutosaveAt } from '../../repositories/design.repository';
import { findActorAt } from '../../repositories/history.repository';
import { scheduleAutosave } from './schedule-autosave';
import type { DesignState } from '../../domain/design-state';
import { canonicalJson } from '../changes/canonical-hash';

const content = ({ revision: _r, ...rest }: DesignState) => canonicalJson(rest);

/**
 * A recovery point of the design as it is now: stored with its diff from the previous autosave and
 * an expiry, the design's last autosave time set, AUTOSAVED published after commit. Skipped when the
 * content has not changed since the last autosave (a collaborator change, say). Not a change of the
 * design: no revision, no change-log entry. `state` is read before, through the state cache.
 */
export async function recordAutosave(tx: ServiceContext, props: { designId: string; state: DesignState }): Promise<string> {
  const { state } = props;
  const now = new Date();
  const previous = await tx.store.latestAutosave(props.designId, now);
  if (previous && content(previous.state) === content(state)) return `unchanged since autosave ${previous.number}`;
  const saved = await tx.store.saveAutosave({
    designId: props.designId,
    revision: state.revision,
    state,
    diff: previous ? compare(previous.state, state) : null,
    userId: await findActorAt(tx.manager, props.designId, state.revision),
    createdAt: now,
    expiresAt: new Date(now.getTime() + tx.config.autosaveRetentionMs),
  });
  await setLastAutosaveAt(tx.manager, props.designId, now);
  // Changes made while this job ran found it pending and scheduled nothing: the next autosave is due now.
  const current = (await findDesignById(tx.manager, props.designId))?.revision ?? state.revision;
  if (current > state.revision) tx.afterCommit(() => scheduleAutosave(tx, props.designId, `after-${current}`));
  tx.afterCommit(() =>
    tx.events.publish({
      designId: props.designId,
      revision: state.revision,
      type: DesignEventType.AUTOSAVED,
      actorId: null,
      at: now.toISOString(),
      sideband: true,
    }),
  );
  return `autosave ${saved.number} at revision ${state.revision}`;
}
