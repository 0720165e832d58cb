import { In, type EntityManager } from 'typeorm';
import { DesignEntity } from '../../entities/design.entity';
import type { DesignCategory, DesignStatus } from '../../entities/enums';
import { DesignOrder, DesignScope } from '../domain/design-list';
import { readableSql } from '../domain/permissions';
import { isUuid } from './uuid';

export interface DesignListQuery {
  viewerId: string | null;
  /** Null: every design the viewer may read. */
  scope: DesignScope | null;
  ownerId?: string;
  avatarId?: string;
  status?: DesignStatus[];
  category?: DesignCategory[];
  tags?: string[];
  search?: string;
  order: DesignOrder;
  first: number;
  /** Position after which the page starts, from a previous page's `sortKey`. */
  after?: { key: string; id: string };
}

export interface DesignPage {
  rows: { design: DesignEntity; sortKey: string }[];
  totalCount: number;
  hasNextPage: boolean;
}

/** Keyset order: the sort expression, how a cursor's text value is cast back, and the direction. */
const ORDERS: Record<DesignOrder, { expr: string; cast: string; desc: boolean }> = {
  [DesignOrder.LAST_EDITED_DESC]: { expr: 'd.last_edited_at', cast: 'timestamptz', desc: true },
  [DesignOrder.CREATED_DESC]: { expr: 'd.created_at', cast: 'timestamptz', desc: true },
  [DesignOrder.NAME_ASC]: { expr: 'lower(d.name)', cast: 'text', desc: false },
  [DesignOrder.MOST_FORKED]: { expr: 'd.fork_count', cast: 'int', desc: true },
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listDesigns(m: EntityManager, q: DesignListQuery): Promise<DesignPage> {
  if (q.ownerId !== undefined && !isUuid(q.ownerId)) return { rows: [], totalCount: 0, hasNextPage: false };
  const params: unknown[] = [q.viewerId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [readableSql('$1')];

  if (q.scope === DesignScope.MINE) where.push('d.owner_id = $1');
  if (q.scope === DesignScope.SHARED_WITH_ME) {
    where.push(
      `d.owner_id <> $1 AND EXISTS (SELECT 1 FROM collaborators s WHERE s.design_id = d.id AND s.user_id = $1 AND s.role <> 'OWNER')`,
    );
  }
  if (q.scope === DesignScope.PUBLIC) where.push(`d.visibility = 'PUBLIC' AND d.status = 'PUBLISHED'`);
  if (q.ownerId) where.push(`d.owner_id = ${param(q.ownerId)}`);
  if (q.avatarId) where.push(`d.avatar_id = ${param(q.avatarId)}`);
  if (q.status?.length) where.push(`d.status = ANY(${param(q.status)})`);
  if (q.category?.length) where.push(`d.category = ANY(${param(q.category)})`);
  if (q.tags?.length) where.push(`d.tags @> ${param(q.tags)}::text[]`);
  if (q.search) {
    const pattern = param(`%${escapeLike(q.search)}%`);
    where.push(`(d.name ILIKE ${pattern} OR d.description ILIKE ${pattern})`);
  }

  const filter = where.join(' AND ');
  const countRows: { count: string }[] = await m.query(`SELECT count(*) FROM designs d WHERE ${filter}`, params);

  const order = ORDERS[q.order];
  const pageWhere = [filter];
  if (q.after) {
    const cmp = order.desc ? '<' : '>';
    pageWhere.push(`(${order.expr}, d.id) ${cmp} (${param(q.after.key)}::${order.cast}, ${param(q.after.id)}::uuid)`);
  }
  const dir = order.desc ? 'DESC' : 'ASC';
  const limit = param(q.first + 1);
  const ids: { id: string; sort_key: string }[] = await m.query(
    `SELECT d.id, (${order.expr})::text AS sort_key FROM designs d WHERE ${pageWhere.join(' AND ')}
     ORDER BY ${order.expr} ${dir}, d.id ${dir} LIMIT ${limit}`,
    params,
  );
  const page = ids.slice(0, q.first);
  const designs = page.length ? await m.findBy(DesignEntity, { id: In(page.map((r) => r.id)) }) : [];
  const byId = new Map(designs.map((d) => [d.id, d]));
  return {
    rows: page.map((r) => ({ design: byId.get(r.id)!, sortKey: r.sort_key })),
    totalCount: Number(countRows[0]!.count),
    hasNextPage: ids.length > q.first,
  };
}
