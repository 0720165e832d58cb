import { createHash } from 'node:crypto';
import { requireViewer, type ServiceContext } from '../../context';
import { Permission } from '../../domain/permissions';
import { deleteLike, insertLike, insertView } from '../../repositories/design-reaction.repository';
import type { DesignWithRole } from '../../repositories/design.repository';
import { requireAccess } from '../access/require-access';

/**
 * Likes and views are not changes of the design: no revision, no change-log entry, no event; only
 * the counts move, once per person (views: per day).
 */
export async function setLiked(tx: ServiceContext, props: { designId: string; liked: boolean }): Promise<DesignWithRole> {
  const viewer = requireViewer(tx);
  const design = await requireAccess(tx, Permission.Read, props.designId);
  design.likeCount = props.liked
    ? await insertLike(tx.manager, design.id, viewer.userId, new Date())
    : await deleteLike(tx.manager, design.id, viewer.userId);
  return design;
}

/** The UTC day, so every replica counts the same day whatever its time zone. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * A signed-in viewer is counted by user id; an anonymous one (PUBLIC, PUBLISHED designs only, the
 * only ones they can read) by a hash of their address, so addresses are not stored.
 */
export async function recordView(tx: ServiceContext, props: { designId: string; address: string }): Promise<DesignWithRole> {
  const design = await requireAccess(tx, Permission.Read, props.designId);
  const viewer = tx.viewer
    ? `user:${tx.viewer.userId}`
    : `address:${createHash('sha256').update(props.address).digest('base64url').slice(0, 22)}`;
  design.viewCount = await insertView(tx.manager, design.id, viewer, dayOf(new Date()));
  return design;
}
