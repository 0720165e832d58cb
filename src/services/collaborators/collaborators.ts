import type { CollaboratorEntity } from '../../../entities/collaborator.entity';
import { CollaboratorRole, HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { deleteCollaborator, findCollaborator, upsertCollaborator } from '../../repositories/collaborator.repository';
import { isUuid } from '../../repositories/uuid';
import { Permission } from '../../domain/permissions';
import { NotificationKind } from '../../domain/notifications';
import { openChange, recordChange } from '../changes/change';
import { notify } from '../notifications/notify';

interface CollaboratorProps {
  designId: string;
  userId: string;
}

/** Ownership is not handed over here: OWNER is never granted, and the owner's own role never changes. */
function assertGrantable(role: CollaboratorRole, userId: string): void {
  if (!isUuid(userId)) throw badInput('userId', 'must be a UUID');
  if (role === CollaboratorRole.OWNER) throw badInput('role', 'OWNER cannot be granted; a design has one owner');
}

export async function addCollaborator(
  tx: ServiceContext,
  props: CollaboratorProps & { role: CollaboratorRole },
): Promise<CollaboratorEntity> {
  assertGrantable(props.role, props.userId);
  const design = await openChange(tx, props.designId, Permission.Manage);
  if (props.userId === design.ownerId) throw badInput('userId', 'the owner is already on the design');
  const existing = await findCollaborator(tx.manager, design.id, props.userId);
  if (existing) {
    if (existing.role === props.role) return existing;
    throw new DesignError(ErrorCode.Conflict, 'This user is already a collaborator; use updateCollaborator', { role: existing.role });
  }
  const collaborator: CollaboratorEntity = { designId: design.id, userId: props.userId, role: props.role, addedAt: new Date() };
  await upsertCollaborator(tx.manager, collaborator);
  await recordChange(tx, design, {
    action: HistoryAction.COLLABORATOR_ADDED,
    data: { userId: props.userId, before: null, after: props.role },
    event: { type: DesignEventType.COLLABORATORS_CHANGED },
    withDesign: true,
  });
  await notify(tx, {
    kind: NotificationKind.COLLABORATOR_ADDED,
    designId: design.id,
    recipientIds: [props.userId],
    actorId: tx.viewer?.userId ?? null,
    role: props.role,
    revision: design.revision,
  });
  return collaborator;
}

export async function updateCollaborator(
  tx: ServiceContext,
  props: CollaboratorProps & { role: CollaboratorRole },
): Promise<CollaboratorEntity> {
  assertGrantable(props.role, props.userId);
  const design = await openChange(tx, props.designId, Permission.Manage);
  if (props.userId === design.ownerId) throw badInput('userId', "the owner's role cannot change");
  const collaborator = await findCollaborator(tx.manager, design.id, props.userId);
  if (!collaborator) throw notFound('Collaborator');
  if (collaborator.role === props.role) return collaborator;
  const before = collaborator.role;
  collaborator.role = props.role;
  await upsertCollaborator(tx.manager, collaborator);
  await recordChange(tx, design, {
    action: HistoryAction.COLLABORATOR_UPDATED,
    data: { userId: props.userId, before, after: props.role },
    event: { type: DesignEventType.COLLABORATORS_CHANGED },
    withDesign: true,
  });
  return collaborator;
}

export async function removeCollaborator(tx: ServiceContext, props: CollaboratorProps): Promise<boolean> {
  const design = await openChange(tx, props.designId, Permission.Manage);
  if (props.userId === design.ownerId) throw badInput('userId', 'the owner cannot be removed');
  const collaborator = await findCollaborator(tx.manager, design.id, props.userId);
  if (!collaborator) throw notFound('Collaborator');
  await deleteCollaborator(tx.manager, design.id, props.userId);
  await recordChange(tx, design, {
    action: HistoryAction.COLLABORATOR_REMOVED,
    data: { userId: props.userId, before: collaborator.role, after: null },
    event: { type: DesignEventType.COLLABORATORS_CHANGED },
    withDesign: true,
  });
  return true;
}
