import type { DesignEntity } from '../../../entities/design.entity';
import { CollaboratorRole, DesignStatus, DesignVisibility } from '../../../entities/enums';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { saveCanvas } from '../../repositories/canvas.repository';
import { upsertCollaborator } from '../../repositories/collaborator.repository';
import { insertDesign, lockOwnerDesignCount } from '../../repositories/design.repository';
import { defaultCanvas } from './canvas-defaults';
import { designsCreated } from '../../observability/metrics';
import type { DesignFields } from './design-fields';

export interface NewDesign extends DesignFields {
  id: string;
  forkedFromId?: string | null;
  creationHash: string;
}

/**
 * A new design owned by the caller, within their tier's design limit (serialized per owner), with
 * its owner row and the default canvas, at revision 0 (the caller records the creating change).
 * Null when a concurrent request inserted the same id first.
 */
export async function insertNewDesign(tx: ServiceContext, fields: NewDesign): Promise<DesignEntity | null> {
  const viewer = requireViewer(tx);
  const limit = tx.config.limits[viewer.tier].designs;
  const owned = await lockOwnerDesignCount(tx.manager, viewer.userId);
  if (limit !== null && owned >= limit) {
    throw new DesignError(ErrorCode.LimitExceeded, `The ${viewer.tier} tier allows ${limit} designs`, { limit, tier: viewer.tier });
  }
  const now = new Date();
  const design: DesignEntity = {
    id: fields.id,
    ownerId: viewer.userId,
    ownerTier: viewer.tier,
    name: fields.name,
    description: fields.description ?? null,
    avatarId: fields.avatarId ?? null,
    category: fields.category ?? null,
    tags: fields.tags ?? [],
    occasions: fields.occasions ?? [],
    seasons: fields.seasons ?? [],
    status: DesignStatus.DRAFT,
    visibility: fields.visibility ?? DesignVisibility.PRIVATE,
    revision: 0,
    version: 1,
    forkedFromId: fields.forkedFromId ?? null,
    forkCount: 0,
    viewCount: 0,
    likeCount: 0,
    creationHash: fields.creationHash,
    createdAt: now,
    updatedAt: now,
    lastEditedAt: now,
    publishedAt: null,
    deletedAt: null,
    lastAutosaveAt: null,
  };
  if (!(await insertDesign(tx.manager, design))) return null;
  tx.afterCommit(() => designsCreated.inc());
  await upsertCollaborator(tx.manager, { designId: design.id, userId: viewer.userId, role: CollaboratorRole.OWNER, addedAt: now });
  await saveCanvas(tx.manager, defaultCanvas(design.id));
  return design;
}
