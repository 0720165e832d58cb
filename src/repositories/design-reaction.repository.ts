import type { EntityManager } from 'typeorm';
import { onlyUuids } from './uuid';

type Counted = [{ count: number }[], number];

/**
 * Runs `change` (an INSERT … ON CONFLICT DO NOTHING or a DELETE, RETURNING 1; `$1` is the design)
 * and moves the design's `column` by the rows it touched, in one statement: a second like or view by
 * the same person (or two at once) touches nothing and counts nothing. Returns the new count.
 */
async function countTouched(
  m: EntityManager,
  column: 'like_count' | 'view_count',
  sign: '+' | '-',
  change: string,
  params: unknown[],
): Promise<number> {
  const [rows] = (await m.query(
    `WITH touched AS (${change})
     UPDATE designs SET ${column} = ${column} ${sign} (SELECT count(*) FROM touched) WHERE id = $1 RETURNING ${column} AS count`,
    params,
  )) as Counted;
  return rows[0]!.count;
}

export const insertLike = (m: EntityManager, designId: string, userId: string, at: Date) =>
  countTouched(
    m,
    'like_count',
    '+',
    `INSERT INTO design_likes (design_id, user_id, liked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [designId, userId, at],
  );

export const deleteLike = (m: EntityManager, designId: string, userId: string) =>
  countTouched(m, 'like_count', '-', `DELETE FROM design_likes WHERE design_id = $1 AND user_id = $2 RETURNING 1`, [designId, userId]);

/** Counts the view when this viewer has none on this design for `day` yet. */
export const insertView = (m: EntityManager, designId: string, viewer: string, day: string) =>
  countTouched(
    m,
    'view_count',
    '+',
    `INSERT INTO design_views (design_id, viewer, day) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [designId, viewer, day],
  );

/** Of these designs, those the user likes. */
export async function findLikedDesignIds(m: EntityManager, userId: string, designIds: readonly string[]): Promise<Set<string>> {
  const ids = onlyUuids(designIds);
  if (ids.length === 0) return new Set();
  const rows = (await m.query(`SELECT design_id FROM design_likes WHERE user_id = $1 AND design_id = ANY($2::uuid[])`, [userId, ids])) as {
    design_id: string;
  }[];
  return new Set(rows.map((row) => row.design_id));
}

/** Forgets who viewed before `day` (their views stay counted): up to `limit` rows, how many went. */
export async function deleteViewsBefore(m: EntityManager, day: string, limit: number): Promise<number> {
  const [, count] = (await m.query(
    `DELETE FROM design_views WHERE ctid = ANY(ARRAY(SELECT ctid FROM design_views WHERE day < $1 LIMIT $2))`,
    [day, limit],
  )) as [unknown, number];
  return count;
}
