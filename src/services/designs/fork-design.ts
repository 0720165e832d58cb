import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import { VersionKind } from '../../../entities/version.entity';
import { inTransaction, requireViewer, type ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { incrementForkCount } from '../../repositories/design.repository';
import { Permission } from '../../domain/permissions';
import { requireAccess } from '../access/require-access';
import { canonicalHash } from '../changes/canonical-hash';
import { recordChange } from '../changes/change';
import { assertLayerLimit } from '../layers/open-layer-change';
import { applyDesignState } from '../state/apply-design-state';
import { type DesignState } from '../../domain/design-state';
import { TEXT_MAX } from '../../domain/text-limits';
import { readDesignState } from '../state/load-design-state';
import { captureVersion } from '../versions/capture-version';
import { insertNewDesign } from './insert-new-design';

const FORK_SUFFIX = ' (fork)';

/** The source's name and the suffix, the name cut (by code point) so that the whole still fits a design name. */
const defaultForkName = (name: string) => [...name].slice(0, TEXT_MAX.name - FORK_SUFFIX.length).join('') + FORK_SUFFIX;

/** The same content under new layer and group ids, so the copy shares nothing with its source. */
function withNewIds(state: DesignState): DesignState {
  const groupIds = new Map(state.layerGroups.map((g) => [g.id, randomUUID()]));
  return {
    ...state,
    layerGroups: state.layerGroups.map((g) => ({ ...g, id: groupIds.get(g.id)! })),
    layers: state.layers.map((l) => ({ ...l, id: randomUUID(), groupId: l.groupId ? (groupIds.get(l.groupId) ?? null) : null })),
  };
}

/**
 * Copies a design the caller may read into a new PRIVATE draft they own (tier limits apply), with
 * `forkedFrom`, a FORK version and the source's forkCount one higher. The avatar is kept when the
 * caller may use it. The avatar is read before the source's row lock is taken, so the lock never
 * waits on the avatar subgraph.
 */
export async function forkDesign(ctx: ServiceContext, props: { designId: string; name?: string | null }): Promise<DesignEntity> {
  requireViewer(ctx);
  const source = await ctx.loaders.readableDesign.load(props.designId);
  // Into the request's loader: inside, the same read answers from memory.
  if (source?.avatarId) await ctx.upstream.avatars.load(source.avatarId);
  return inTransaction(ctx, (tx) => copyDesign(tx, props));
}

async function copyDesign(tx: ServiceContext, props: { designId: string; name?: string | null }): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  // A write lock, not a share lock: the fork count goes up on this row, and two forks holding share locks would deadlock.
  const source = await requireAccess(tx, Permission.Read, props.designId, { lock: 'write' });
  const state = withNewIds((await readDesignState(tx.manager, source.id))!);
  assertLayerLimit(tx, viewer.tier, state.layers.length);
  const avatar = state.design.avatarId ? await tx.upstream.avatars.load(state.design.avatarId) : null;
  const usable = avatar && (avatar.isPublic || avatar.ownerId === viewer.userId);
  state.design = { ...state.design, name: props.name ?? defaultForkName(state.design.name), avatarId: usable ? avatar.id : null };

  const design = (await insertNewDesign(tx, {
    id: randomUUID(),
    name: state.design.name,
    forkedFromId: source.id,
    creationHash: canonicalHash({ forkOf: source.id, at: Date.now() }),
  }))!;
  await applyDesignState(tx, design, state);
  await recordChange(tx, design, {
    action: HistoryAction.DESIGN_FORKED,
    data: { forkedFrom: source.id, forkedFromRevision: source.revision },
    event: { type: DesignEventType.DESIGN_UPDATED },
    withDesign: true,
  });
  await captureVersion(tx, design, VersionKind.FORK, { revision: design.revision, message: `Forked from revision ${source.revision}` });
  await incrementForkCount(tx.manager, source.id);
  return design;
}
