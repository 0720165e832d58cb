import { In, IsNull, type EntityManager } from 'typeorm';
import { ShareLinkEntity } from '../../entities/share-link.entity';
import { isUuid, onlyUuids } from './uuid';

export async function insertShareLink(m: EntityManager, link: ShareLinkEntity): Promise<void> {
  await m.insert(ShareLinkEntity, link);
}

/** Links not revoked, expired ones included (an owner sees them until revoking them), oldest first. */
export async function findActiveShareLinks(m: EntityManager, designIds: readonly string[]): Promise<ShareLinkEntity[]> {
  const ids = onlyUuids(designIds);
  if (ids.length === 0) return [];
  return m.find(ShareLinkEntity, { where: { designId: In(ids), revokedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export async function countActiveShareLinks(m: EntityManager, designId: string): Promise<number> {
  return m.countBy(ShareLinkEntity, { designId, revokedAt: IsNull() });
}

export async function findShareLink(m: EntityManager, id: string): Promise<ShareLinkEntity | null> {
  if (!isUuid(id)) return null;
  return m.findOneBy(ShareLinkEntity, { id });
}

export async function findShareLinkByTokenHash(m: EntityManager, tokenHash: string): Promise<ShareLinkEntity | null> {
  return m.findOneBy(ShareLinkEntity, { tokenHash });
}

export async function markShareLinkRevoked(m: EntityManager, id: string, at: Date): Promise<void> {
  await m.update(ShareLinkEntity, { id, revokedAt: IsNull() }, { revokedAt: at });
}

/**
 * Takes one use of a link that is still valid at `now`, in one statement: concurrent joins queue on
 * the link's row, and each re-checks `uses < max_uses` once it holds it, so no more than maxUses succeed.
 */
export async function claimShareLinkUse(m: EntityManager, id: string, now: Date): Promise<boolean> {
  const [rows] = (await m.query(
    `UPDATE share_links SET uses = uses + 1
     WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)
     RETURNING id`,
    [id, now],
  )) as [unknown[], number];
  return rows.length === 1;
}
