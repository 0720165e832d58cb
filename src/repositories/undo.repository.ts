import type { EntityManager } from 'typeorm';

/** The undo_entries table: per user and design, the undo stack (not undone) and the redo stack (undone). */

export interface UndoEntry {
  seq: string;
  revision: number;
}

/** The top of the undo stack (newest change not undone) or of the redo stack (most recently undone). */
export async function topOfStack(m: EntityManager, designId: string, userId: string, stack: 'undo' | 'redo'): Promise<UndoEntry | null> {
  const rows: UndoEntry[] = await m.query(
    stack === 'undo'
      ? `SELECT seq, revision FROM undo_entries WHERE design_id = $1 AND user_id = $2 AND NOT undone ORDER BY seq DESC LIMIT 1`
      : `SELECT seq, revision FROM undo_entries WHERE design_id = $1 AND user_id = $2 AND undone ORDER BY undone_seq DESC LIMIT 1`,
    [designId, userId],
  );
  return rows[0] ?? null;
}

export async function markUndone(m: EntityManager, seq: string, undone: boolean): Promise<void> {
  await m.query(
    `UPDATE undo_entries SET undone = $2, undone_seq = CASE WHEN $2 THEN nextval('undo_entries_seq_seq') ELSE NULL END WHERE seq = $1`,
    [seq, undone],
  );
}

/** canUndo / canRedo for one user on many designs, in one statement. */
export async function stackDepths(m: EntityManager, designIds: readonly string[], userId: string) {
  const rows: { design_id: string; undo: number; redo: number }[] = await m.query(
    `SELECT design_id, count(*) FILTER (WHERE NOT undone)::int AS undo, count(*) FILTER (WHERE undone)::int AS redo
     FROM undo_entries WHERE design_id = ANY($1::uuid[]) AND user_id = $2 GROUP BY design_id`,
    [designIds, userId],
  );
  return new Map(rows.map((r) => [r.design_id, { undo: r.undo, redo: r.redo }]));
}
