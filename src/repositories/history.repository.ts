import type { EntityManager } from 'typeorm';
import { HistoryEntryEntity } from '../../entities/history-entry.entity';
import { prepared } from '../db/prepared-statements';
import { shiftPlaceholders, type PendingWrite } from './pending-write';

/** Months ahead of the current one whose change-log partitions exist before they begin. */
export const HISTORY_PARTITIONS_AHEAD = 2;

/**
 * Creates the change log's monthly partitions from `at`'s month to HISTORY_PARTITIONS_AHEAD months
 * later where missing (moving rows of those months out of the DEFAULT partition); how many it created.
 */
export async function ensureHistoryPartitions(m: EntityManager, at: Date): Promise<number> {
  const [row] = (await m.query(`SELECT ensure_history_partitions($1, $2) AS created`, [HISTORY_PARTITIONS_AHEAD, at])) as {
    created: number;
  }[];
  return row?.created ?? 0;
}

/** Who made the change that took the design to `revision` (null: the system, or no such entry). */
export async function findActorAt(m: EntityManager, designId: string, revision: number): Promise<string | null> {
  const rows: { actor_id: string | null }[] = await m.query(`SELECT actor_id FROM design_history WHERE design_id = $1 AND revision = $2`, [
    designId,
    revision,
  ]);
  return rows[0]?.actor_id ?? null;
}

/** What a change does to its actor's undo stacks (undo_entries): empties the redo stack, pushes itself onto the undo stack. */
export interface StackChange {
  clearRedo: boolean;
  pushUndo: boolean;
}

const ADVANCE_PARAMS = 10;

const ADVANCE_REVISION = `advanced AS (
     UPDATE designs SET revision = $3, updated_at = $8, last_edited_at = $8 WHERE id = $2 AND revision = $3 - 1 RETURNING id
   ), entry AS (
     INSERT INTO design_history (id, design_id, revision, action, actor_id, data, event, created_at)
     SELECT $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8 FROM advanced
     RETURNING revision
   ), cleared AS (
     DELETE FROM undo_entries WHERE $9::boolean AND design_id = $2 AND user_id = $5 AND undone AND EXISTS (SELECT FROM advanced)
   ), pushed AS (
     INSERT INTO undo_entries (design_id, user_id, revision) SELECT $2, $5, $3 FROM advanced WHERE $10::boolean
   )
   SELECT revision FROM entry`;

const ADVANCE_ALONE = prepared(`WITH ${ADVANCE_REVISION}`);

/** By the text of the write that joins it: a fixed set, one per kind of write the services pass. */
const advanceWith = new Map<string, string>();

function advanceText(along: PendingWrite | undefined): string {
  if (!along) return ADVANCE_ALONE;
  let text = advanceWith.get(along.text);
  if (!text) {
    text = prepared(`WITH along AS (${shiftPlaceholders(along.text, ADVANCE_PARAMS)}), ${ADVANCE_REVISION}`);
    advanceWith.set(along.text, text);
  }
  return text;
}

/**
 * Moves the design (locked by this transaction) from `entry.revision - 1` to `entry.revision`, appends
 * its change-log entry, keeps the actor's undo stacks and runs the change's own write (`along`), in one
 * statement; false when the design was not at the revision before, which a caller holding the design's
 * row lock never sees.
 */
export async function advanceRevision(
  m: EntityManager,
  entry: HistoryEntryEntity,
  stacks: StackChange,
  along?: PendingWrite,
): Promise<boolean> {
  const withActor = entry.actorId !== null;
  const rows: unknown[] = await m.query(advanceText(along), [
    entry.id,
    entry.designId,
    entry.revision,
    entry.action,
    entry.actorId,
    JSON.stringify(entry.data),
    entry.event === null ? null : JSON.stringify(entry.event),
    entry.createdAt,
    withActor && stacks.clearRedo,
    withActor && stacks.pushUndo,
    ...(along?.params ?? []),
  ]);
  return rows.length === 1;
}

/** Newest first, keyset on revision. */
export async function pageHistory(m: EntityManager, designId: string, first: number, beforeRevision: number | null) {
  const qb = m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId', { designId })
    .orderBy('h.revision', 'DESC')
    .take(first + 1);
  if (beforeRevision !== null) qb.andWhere('h.revision < :beforeRevision', { beforeRevision });
  const [rows, totalCount] = await Promise.all([qb.getMany(), m.countBy(HistoryEntryEntity, { designId })]);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

/** Entries after `afterRevision` up to `toRevision` (inclusive, when given), oldest first. */
export async function historyAfter(m: EntityManager, designId: string, afterRevision: number, limit: number, toRevision?: number) {
  const qb = m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId AND h.revision > :afterRevision', { designId, afterRevision })
    .orderBy('h.revision', 'ASC')
    .take(limit);
  if (toRevision !== undefined) qb.andWhere('h.revision <= :toRevision', { toRevision });
  return qb.getMany();
}

export async function findHistoryEntry(m: EntityManager, designId: string, revision: number): Promise<HistoryEntryEntity | null> {
  return m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId AND h.revision = :revision', { designId, revision })
    .getOne();
}
