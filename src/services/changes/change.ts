import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import { conflicts, layerOperations, noteEditor } from '../../observability/metrics';
import type { ChangeData } from '../../domain/change-log';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { updateOwnerTier } from '../../repositories/design.repository';
import { designJson, type DesignEventMessage, type DesignEventPayload } from '../../events/design-event';
import { advanceRevision } from '../../repositories/history.repository';
import type { PendingWrite } from '../../repositories/pending-write';
import { scheduleAutosave } from '../autosave/schedule-autosave';
import { stackChange } from '../undo/undo-stack';
import type { Permission } from '../../domain/permissions';
import { requireAccess } from '../access/require-access';

/**
 * The start of every write to a design: signed in, its turn taken (tx.takeTurn), design row locked,
 * permission checked against the locked state, `expectedRevision` compared. A design the caller may not read is NOT_FOUND; one it
 * may read but not change is FORBIDDEN.
 */
export async function openChange(
  tx: ServiceContext,
  designId: string,
  permission: Permission,
  expectedRevision?: number | null,
): Promise<DesignEntity> {
  // Signed in before waiting for a turn: an anonymous burst must not queue with the design's writers.
  requireViewer(tx);
  await tx.takeTurn(designId);
  const design = await requireAccess(tx, permission, designId, { lock: 'write' });
  return openLockedChange(tx, design, expectedRevision);
}

/** `openChange` for a design the caller has locked and judged (`judgeAccess`). */
export async function openLockedChange(tx: ServiceContext, design: DesignEntity, expectedRevision?: number | null): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  assertRevision(design, expectedRevision);
  if (design.ownerId === viewer.userId && design.ownerTier !== viewer.tier) {
    // The owner's plan changed (or was never seen): the design's limits follow it from now on.
    await updateOwnerTier(tx.manager, design.id, viewer.tier);
    design.ownerTier = viewer.tier;
  }
  return design;
}

/** A stale `expectedRevision` is a CONFLICT that tells the current revision. */
export function assertRevision(design: DesignEntity, expectedRevision?: number | null): void {
  if (expectedRevision !== undefined && expectedRevision !== null && expectedRevision !== design.revision) {
    conflicts.inc();
    throw new DesignError(ErrorCode.Conflict, `The design is at revision ${design.revision}, not ${expectedRevision}`, {
      currentRevision: design.revision,
      expectedRevision,
    });
  }
}

/** The `operation` label of design_layer_operations_total for the actions that change layers. */
const LAYER_OPERATIONS: Partial<Record<HistoryAction, string>> = {
  [HistoryAction.LAYER_ADDED]: 'add',
  [HistoryAction.LAYER_UPDATED]: 'update',
  [HistoryAction.LAYER_REMOVED]: 'remove',
  [HistoryAction.LAYER_DUPLICATED]: 'duplicate',
  [HistoryAction.LAYERS_REORDERED]: 'reorder',
  [HistoryAction.LAYERS_GROUPED]: 'group',
  [HistoryAction.LAYERS_UNGROUPED]: 'ungroup',
};

/** The change-log entry's action and data (typed by action, domain/change-log), and its event. */
export type Change = ChangeData & {
  /** What subscribers receive; `withDesign` attaches the design as it is after the change. */
  event: DesignEventPayload;
  withDesign?: boolean;
  at?: Date;
  /** The change's own write, run in the statement that records it (one round trip fewer). */
  along?: PendingWrite;
};

/**
 * The end of every write: bumps the revision, appends the change-log entry with its event and keeps the
 * actor's undo stack (one statement), and, once the transaction has committed, publishes the event and schedules
 * an autosave.
 */
export async function recordChange(tx: ServiceContext, design: DesignEntity, change: Change): Promise<number> {
  const at = change.at ?? new Date();
  // The design's row is locked by this transaction (openChange, or a design it created): the next
  // revision is known before the statement that takes it, so the event can carry the design as it will be.
  const revision = design.revision + 1;
  Object.assign(design, { revision, updatedAt: at, lastEditedAt: at });
  const actorId = tx.viewer?.userId ?? null;
  const event: DesignEventPayload = change.withDesign ? { ...change.event, design: designJson(design) } : change.event;
  const advanced = await advanceRevision(
    tx.manager,
    {
      id: randomUUID(),
      designId: design.id,
      revision,
      action: change.action,
      actorId,
      data: change.data,
      event: { ...event },
      createdAt: at,
    },
    stackChange(change.action),
    change.along,
  );
  if (!advanced) throw new Error(`design ${design.id} was not at revision ${revision - 1}: recordChange needs it locked and current`);
  const message: DesignEventMessage = { ...event, designId: design.id, revision, actorId, at: at.toISOString() };
  tx.afterCommit(() => tx.events.publish(message));
  tx.afterCommit(() => scheduleAutosave(tx, design.id));
  if (actorId) tx.afterCommit(() => noteEditor(design.id, actorId));
  const operation = LAYER_OPERATIONS[change.action];
  if (operation) tx.afterCommit(() => layerOperations.inc({ operation }));
  return revision;
}
