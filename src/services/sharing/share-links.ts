import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CollaboratorRole, HistoryAction } from '../../../entities/enums';
import type { ShareLinkEntity } from '../../../entities/share-link.entity';
import { requireViewer, type ServiceContext } from '../../context';
import { Permission } from '../../domain/permissions';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { DesignEventType } from '../../events/design-event';
import { findCollaborator, upsertCollaborator } from '../../repositories/collaborator.repository';
import { findDesignsWithRole, type DesignWithRole } from '../../repositories/design.repository';
import {
  claimShareLinkUse,
  countActiveShareLinks,
  findShareLink,
  findShareLinkByTokenHash,
  insertShareLink,
  markShareLinkRevoked,
} from '../../repositories/share-link.repository';
import { requireAccess } from '../access/require-access';
import { recordChange } from '../changes/change';
import { notify } from '../notifications/notify';
import { NotificationKind } from '../../domain/notifications';

/** Links a design may have that are not revoked (expired ones count until revoked). */
export const MAX_SHARE_LINKS_PER_DESIGN = 50;
export const MAX_SHARE_LINK_USES = 10_000;
const MAX_LIFETIME_MS = 366 * 24 * 3600 * 1000;
/** 32 random bytes: a token cannot be guessed, so a join needs no rate limit of its own. */
const TOKEN = /^dsl_[A-Za-z0-9_-]{43}$/;
const HINT_LENGTH = 8;

const RANK: Record<CollaboratorRole, number> = {
  [CollaboratorRole.VIEWER]: 1,
  [CollaboratorRole.COMMENTER]: 2,
  [CollaboratorRole.EDITOR]: 3,
  [CollaboratorRole.OWNER]: 4,
};

/** A link as created: the only time its token exists outside the caller's hands. */
export type CreatedShareLink = ShareLinkEntity & { token: string };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createShareLink(
  tx: ServiceContext,
  props: { designId: string; role: CollaboratorRole; expiresAt?: Date | null; maxUses?: number | null },
): Promise<CreatedShareLink> {
  const viewer = requireViewer(tx);
  const now = new Date();
  if (props.role === CollaboratorRole.OWNER) throw badInput('role', 'a share link cannot grant OWNER; a design has one owner');
  if (props.expiresAt && (props.expiresAt <= now || props.expiresAt.getTime() - now.getTime() > MAX_LIFETIME_MS)) {
    throw badInput('expiresAt', 'must be in the future, and at most a year away');
  }
  if (props.maxUses !== undefined && props.maxUses !== null && (props.maxUses < 1 || props.maxUses > MAX_SHARE_LINK_USES)) {
    throw badInput('maxUses', `must be between 1 and ${MAX_SHARE_LINK_USES}`);
  }
  // Locked, so that two links made at once cannot both pass the count.
  const design = await requireAccess(tx, Permission.Manage, props.designId, { what: 'share links', lock: 'write' });
  if ((await countActiveShareLinks(tx.manager, design.id)) >= MAX_SHARE_LINKS_PER_DESIGN) {
    throw new DesignError(ErrorCode.LimitExceeded, `A design can have ${MAX_SHARE_LINKS_PER_DESIGN} share links; revoke one first`, {
      limit: MAX_SHARE_LINKS_PER_DESIGN,
    });
  }
  const token = `dsl_${randomBytes(32).toString('base64url')}`;
  const link: ShareLinkEntity = {
    id: randomUUID(),
    designId: design.id,
    role: props.role,
    tokenHash: hashOf(token),
    tokenHint: token.slice(0, HINT_LENGTH),
    expiresAt: props.expiresAt ?? null,
    maxUses: props.maxUses ?? null,
    uses: 0,
    createdBy: viewer.userId,
    createdAt: now,
    revokedAt: null,
  };
  await insertShareLink(tx.manager, link);
  return { ...link, token };
}

/** Stops new joins; whoever joined stays a collaborator (removeCollaborator takes them off). Revoking twice is a no-op. */
export async function revokeShareLink(tx: ServiceContext, id: string): Promise<string> {
  requireViewer(tx);
  const link = await findShareLink(tx.manager, id);
  if (!link) throw notFound('Share link');
  await requireAccess(tx, Permission.Manage, link.designId, { what: 'share links' });
  if (!link.revokedAt) await markShareLinkRevoked(tx.manager, link.id, new Date());
  return link.id;
}

/**
 * Adds the caller as a collaborator with the link's role, as a change of the design (COLLABORATOR_ADDED,
 * or COLLABORATOR_UPDATED when it raises a lower role). The link is the caller's access: no
 * permission of their own is checked. A caller whose role is already as high takes no use of the link.
 */
export async function joinDesign(tx: ServiceContext, token: string): Promise<DesignWithRole> {
  const viewer = requireViewer(tx);
  const link = TOKEN.test(token) ? await findShareLinkByTokenHash(tx.manager, hashOf(token)) : null;
  if (!link || link.revokedAt) throw notFound('Share link');
  const [design] = await findDesignsWithRole(tx.manager, [link.designId], viewer.userId, 'write');
  if (!design) throw notFound('Share link');
  const before = design.viewerRole;
  if (before && RANK[before] >= RANK[link.role]) return design;
  if (!(await claimShareLinkUse(tx.manager, link.id, new Date()))) {
    const expired = link.expiresAt !== null && link.expiresAt <= new Date();
    throw new DesignError(
      ErrorCode.Forbidden,
      expired ? 'This share link has expired' : 'This share link has been used as often as it may be',
      {
        reason: expired ? 'EXPIRED' : 'USED_UP',
      },
    );
  }
  const collaborator = (before && (await findCollaborator(tx.manager, design.id, viewer.userId))) || {
    designId: design.id,
    userId: viewer.userId,
    addedAt: new Date(),
  };
  await upsertCollaborator(tx.manager, { ...collaborator, role: link.role });
  await recordChange(tx, design, {
    action: before ? HistoryAction.COLLABORATOR_UPDATED : HistoryAction.COLLABORATOR_ADDED,
    data: { userId: viewer.userId, before, after: link.role, shareLinkId: link.id },
    event: { type: DesignEventType.COLLABORATORS_CHANGED },
    withDesign: true,
  });
  await notify(tx, {
    kind: NotificationKind.LINK_JOINED,
    designId: design.id,
    recipientIds: [design.ownerId],
    actorId: viewer.userId,
    role: link.role,
    revision: design.revision,
  });
  design.viewerRole = link.role;
  return design;
}
