import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import type { HistoryAction } from '../../../entities/enums';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { findCollaborator } from '../../repositories/collaborator.repository';
import { bumpRevision, lockDesign } from '../../repositories/design.repository';
import { insertHistoryEntry } from '../../repositories/history.repository';
import { allows, Permission } from '../access/permissions';

/**
 * The start of every write to a design: signed in, design row locked, permission checked against the
 * locked state, `expectedRevision` compared. A design the caller may not read is NOT_FOUND; one it
 * may read but not change is FORBIDDEN.
 */
export async function openChange(
  tx: ServiceContext,
  designId: string,
  permission: Permission,
  expectedRevision?: number | null,
): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  const design = await lockDesign(tx.manager, designId);
  if (!design) throw notFound('Design');
  const role = (await findCollaborator(tx.manager, designId, viewer.userId))?.role ?? null;
  const facts = { visibility: design.visibility, status: design.status, role };
  if (!allows(viewer, facts, Permission.Read)) throw notFound('Design');
  if (!allows(viewer, facts, permission)) {
    throw new DesignError(ErrorCode.Forbidden, `Your role on this design does not allow this (${permission})`);
  }
  assertRevision(design, expectedRevision);
  return design;
}

/** A stale `expectedRevision` is a CONFLICT that tells the current revision. */
export function assertRevision(design: DesignEntity, expectedRevision?: number | null): void {
  if (expectedRevision !== undefined && expectedRevision !== null && expectedRevision !== design.revision) {
    throw new DesignError(
      ErrorCode.Conflict,
      `The design is at revision ${design.revision}, not ${expectedRevision}`,
      { currentRevision: design.revision, expectedRevision },
    );
  }
}

/**
 * The end of every write: bumps the revision and appends the change-log entry for it. `data` holds
 * the before and after of what changed, enough to undo it and to replay it.
 */
export async function recordChange(
  tx: ServiceContext,
  design: DesignEntity,
  action: HistoryAction,
  data: Record<string, unknown>,
  at: Date = new Date(),
): Promise<number> {
  const revision = await bumpRevision(tx.manager, design.id, at);
  await insertHistoryEntry(tx.manager, {
    id: randomUUID(),
    designId: design.id,
    revision,
    action,
    actorId: tx.viewer?.userId ?? null,
    data,
    createdAt: at,
  });
  design.revision = revision;
  design.updatedAt = at;
  design.lastEditedAt = at;
  return revision;
}
