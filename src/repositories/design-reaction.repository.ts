import type { EntityManager } from 'typeorm';
import { onlyUuids } from './uuid';

type Counted = [{ count: number }[], number];

/**
 * Adds the like and moves the design's count in one statement, by the rows actually inserted: a
 * second like (or two at once) by the same person inserts nothing and counts nothing. Returns the count.
 */
export async function insertLike(m: EntityManager, designId: string, userId: string, at: Date): Promise<number> {
  const [rows] = (await m.query(
    `WITH added AS (
       INSERT INTO design_likes (design_id, user_id, liked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1)
     UPDATE designs SET like_count = like_count + (SELECT count(*) FROM added) WHERE id = $1 RETURNING like_count AS count`,
    [designId, userId, at],
  )) as Counted;
  return rows[0]!.count;
}

/** The reverse of insertLike, by the rows actually deleted. */
export async function deleteLike(m: EntityManager, designId: string, userId: string): Promise<number> {
  const [rows] = (await m.query(
    `WITH removed AS (DELETE FROM design_likes WHERE design_id = $1 AND user_id = $2 RETURNING 1)
     UPDATE designs SET like_count = like_count - (SELECT count(*) FROM removed) WHERE id = $1 RETURNING like_count AS count`,
    [designId, userId],
  )) as Counted;
  return rows[0]!.count;
}

/** Of these designs, those the user likes. */
export async function findLikedDesignIds(m: EntityManager, userId: string, designIds: readonly string[]): Promise<Set<string>> {
  const ids = onlyUuids(designIds);
  if (ids.length === 0) return new Set();
  const rows = (await m.query(`SELECT design_id FROM design_likes WHERE user_id = $1 AND design_id = ANY($2::uuid[])`, [userId, ids])) as {
    design_id: string;
  }[];
  return new Set(rows.map((row) => row.design_id));
}

/** Counts the view when this viewer has none on this design for `day` yet, in one statement like insertLike. */
export async function insertView(m: EntityManager, designId: string, viewer: string, day: string): Promise<number> {
  const [rows] = (await m.query(
    `WITH added AS (
       INSERT INTO design_views (design_id, viewer, day) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1)
     UPDATE designs SET view_count = view_count + (SELECT count(*) FROM added) WHERE id = $1 RETURNING view_count AS count`,
    [designId, viewer, day],
  )) as Counted;
  return rows[0]!.count;
}

/** Forgets who viewed before `day` (their views stay counted): up to `limit` rows, how many went. */
export async function deleteViewsBefore(m: EntityManager, day: string, limit: number): Promise<number> {
  const [, count] = (await m.query(
    `DELETE FROM design_views WHERE ctid = ANY(ARRAY(SELECT ctid FROM design_views WHERE day < $1 LIMIT $2))`,
    [day, limit],
  )) as [unknown, number];
  return count;
}
