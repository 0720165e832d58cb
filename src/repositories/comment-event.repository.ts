import type { EntityManager } from 'typeorm';
import type { CommentEventMessage, CommentEventType } from '../events/comment-event';

/**
 * Locks the design's comment stream until the transaction ends and returns its last number (0 before
 * the first event). Comment writers of one design take turns on this row, so their numbers commit in
 * order: a reader of the log never sees n + 1 before n, and a write that records nothing leaves no gap.
 */
export async function lockCommentStream(m: EntityManager, designId: string): Promise<number> {
  await m.query(`INSERT INTO comment_streams (design_id, last_seq) VALUES ($1, 0) ON CONFLICT (design_id) DO NOTHING`, [designId]);
  const rows: { last_seq: number }[] = await m.query(`SELECT last_seq FROM comment_streams WHERE design_id = $1 FOR UPDATE`, [designId]);
  return rows[0]!.last_seq;
}

/** Records an event in the locked stream: its number becomes the stream's last. */
export async function appendCommentEvent(m: EntityManager, event: CommentEventMessage): Promise<void> {
  await m.query(`UPDATE comment_streams SET last_seq = $2 WHERE design_id = $1`, [event.designId, event.seq]);
  await m.query(
    `INSERT INTO comment_events (design_id, seq, type, comment_id, parent_id, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [event.designId, event.seq, event.type, event.commentId, event.parentId, event.actorId, event.at],
  );
}

/** The last number given to the design's comment events (0 before the first). */
export async function lastCommentSeq(m: EntityManager, designId: string): Promise<number> {
  const rows: { last_seq: number }[] = await m.query(`SELECT last_seq FROM comment_streams WHERE design_id = $1`, [designId]);
  return rows[0]?.last_seq ?? 0;
}

/** The design's comment events after `afterSeq` (up to `toSeq`), in order, at most `limit`. */
export async function commentEventsAfter(
  m: EntityManager,
  designId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): Promise<CommentEventMessage[]> {
  const rows: { seq: number; type: CommentEventType; comment_id: string; parent_id: string | null; actor_id: string; created_at: Date }[] =
    await m.query(
      `SELECT seq, type, comment_id, parent_id, actor_id, created_at FROM comment_events
       WHERE design_id = $1 AND seq > $2 AND ($3::int IS NULL OR seq <= $3) ORDER BY seq LIMIT $4`,
      [designId, afterSeq, toSeq ?? null, limit],
    );
  return rows.map((r) => ({
    kind: 'comment',
    designId,
    seq: r.seq,
    type: r.type,
    commentId: r.comment_id,
    parentId: r.parent_id,
    actorId: r.actor_id,
    at: new Date(r.created_at).toISOString(),
  }));
}
