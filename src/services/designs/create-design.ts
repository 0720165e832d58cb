import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { CollaboratorRole, DesignStatus, DesignVisibility, HistoryAction, type DesignCategory } from '../../../entities/enums';
import { requireViewer, type ServiceContext } from '../../context';
import { designJson, DesignEventType } from '../../events/design-event';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { saveCanvas } from '../../repositories/canvas.repository';
import { upsertCollaborator } from '../../repositories/collaborator.repository';
import { findDesignById, insertDesign, lockOwnerDesignCount } from '../../repositories/design.repository';
import { canonicalHash } from '../changes/canonical-hash';
import { recordChange } from '../changes/change';
import { defaultCanvas } from './canvas-defaults';
import { checkAvatar } from './check-avatar';

export interface CreateDesignProps {
  id?: string;
  name: string;
  description?: string | null;
  avatarId?: string | null;
  category?: DesignCategory | null;
  tags?: string[] | null;
  occasions?: string[] | null;
  seasons?: string[] | null;
  visibility?: DesignVisibility | null;
}

/** A retry with the same client id and the same input returns the design it created; anything else with that id is a CONFLICT. */
function replayOrConflict(existing: DesignEntity, ownerId: string, hash: string): DesignEntity {
  if (existing.ownerId === ownerId && existing.creationHash === hash && !existing.deletedAt) return existing;
  throw new DesignError(ErrorCode.Conflict, 'This design id is already in use by another request');
}

export async function createDesign(tx: ServiceContext, props: CreateDesignProps): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  const { id: clientId, ...input } = props;
  const hash = canonicalHash(input);
  if (clientId) {
    const existing = await findDesignById(tx.manager, clientId);
    if (existing) return replayOrConflict(existing, viewer.userId, hash);
  }
  if (props.avatarId) await checkAvatar(tx, props.avatarId, viewer.userId);

  const limit = tx.config.limits[viewer.tier].designs;
  const owned = await lockOwnerDesignCount(tx.manager, viewer.userId);
  if (limit !== null && owned >= limit) {
    throw new DesignError(ErrorCode.LimitExceeded, `The ${viewer.tier} tier allows ${limit} designs`, { limit, tier: viewer.tier });
  }

  const now = new Date();
  const design: DesignEntity = {
    id: clientId ?? randomUUID(),
    ownerId: viewer.userId,
    name: props.name,
    description: props.description ?? null,
    avatarId: props.avatarId ?? null,
    category: props.category ?? null,
    tags: props.tags ?? [],
    occasions: props.occasions ?? [],
    seasons: props.seasons ?? [],
    status: DesignStatus.DRAFT,
    visibility: props.visibility ?? DesignVisibility.PRIVATE,
    revision: 0,
    version: 1,
    forkedFromId: null,
    forkCount: 0,
    viewCount: 0,
    likeCount: 0,
    creationHash: hash,
    createdAt: now,
    updatedAt: now,
    lastEditedAt: now,
    publishedAt: null,
    deletedAt: null,
    lastAutosaveAt: null,
  };
  if (!(await insertDesign(tx.manager, design))) {
    // A concurrent request with the same client id won the insert.
    return replayOrConflict((await findDesignById(tx.manager, design.id))!, viewer.userId, hash);
  }
  await upsertCollaborator(tx.manager, { designId: design.id, userId: viewer.userId, role: CollaboratorRole.OWNER, addedAt: now });
  await saveCanvas(tx.manager, defaultCanvas(design.id));
  await recordChange(tx, design, { action: HistoryAction.DESIGN_CREATED, data: { after: designJson(design) }, event: { type: DesignEventType.DESIGN_UPDATED }, withDesign: true, at: now });
  return design;
}
