import type { EntityManager } from 'typeorm';
import type { NotificationJobData, NotificationKind } from '../domain/notifications';
import { onlyUuids } from './uuid';

/** Of these users, those who turned e-mail for `kind` off (no row: on). */
export async function findOptedOut(m: EntityManager, userIds: readonly string[], kind: NotificationKind): Promise<Set<string>> {
  const uuids = onlyUuids(userIds);
  if (uuids.length === 0) return new Set();
  const rows: { user_id: string }[] = await m.query(
    `SELECT user_id FROM notification_settings WHERE user_id = ANY($1::uuid[]) AND kind = $2 AND NOT email`,
    [uuids, kind],
  );
  return new Set(rows.map((r) => r.user_id));
}

/** The user's changed settings by kind; kinds without a row are on. */
export async function findSettings(m: EntityManager, userId: string): Promise<Map<NotificationKind, boolean>> {
  const rows: { kind: NotificationKind; email: boolean }[] = await m.query(
    `SELECT kind, email FROM notification_settings WHERE user_id = $1`,
    [userId],
  );
  return new Map(rows.map((r) => [r.kind, r.email]));
}

export async function upsertSettings(
  m: EntityManager,
  userId: string,
  settings: { kind: NotificationKind; email: boolean }[],
): Promise<void> {
  if (settings.length === 0) return;
  await m.query(
    `INSERT INTO notification_settings (user_id, kind, email, updated_at)
     SELECT $1, s.kind, s.email, now() FROM unnest($2::text[], $3::boolean[]) AS s(kind, email)
     ON CONFLICT (user_id, kind) DO UPDATE SET email = EXCLUDED.email, updated_at = now()`,
    [userId, settings.map((s) => s.kind), settings.map((s) => s.email)],
  );
}

/** FAILED: its last attempt failed, and its job may try again; ABANDONED: the reconciler gave it up. */
export type DeliveryStatus = 'QUEUED' | 'SENDING' | 'FAILED' | 'SENT' | 'SKIPPED' | 'ABANDONED';

/** Records the messages of an event as QUEUED, in its transaction; the keys that were new (a message recorded already is not queued again). */
export async function insertQueuedDeliveries(m: EntityManager, messages: NotificationJobData[]): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const rows: { key: string }[] = await m.query(
    `INSERT INTO notification_deliveries (key, recipient_id, kind, design_id, status, data)
     SELECT x.key, x.recipient_id, x.kind, x.design_id, 'QUEUED', x.data
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::jsonb[]) AS x(key, recipient_id, kind, design_id, data)
     ON CONFLICT (key) DO NOTHING
     RETURNING key`,
    [
      messages.map((j) => j.key),
      messages.map((j) => j.recipientId),
      messages.map((j) => j.kind),
      messages.map((j) => j.designId),
      messages.map((j) => JSON.stringify(j)),
    ],
  );
  return new Set(rows.map((r) => r.key));
}

/**
 * Takes the message `key` for sending: one QUEUED, one whose last attempt FAILED, one SENDING for
 * longer than `leaseMs` (its sender died between the SMTP server taking it and saying so here), or
 * one with no row (its row was cleaned up). Otherwise the status that stands: SENT or SKIPPED (done),
 * SENDING (someone is at it).
 */
export async function claimDelivery(
  m: EntityManager,
  message: NotificationJobData,
  leaseMs: number,
): Promise<{ claimed: true } | { claimed: false; status: DeliveryStatus }> {
  const taken: unknown[] = await m.query(
    `INSERT INTO notification_deliveries AS d (key, recipient_id, kind, design_id, status, data, attempts, claimed_at)
     VALUES ($1, $2, $3, $4, 'SENDING', $5, 1, now())
     ON CONFLICT (key) DO UPDATE SET status = 'SENDING', claimed_at = now(), attempts = d.attempts + 1, detail = NULL
       WHERE d.status IN ('QUEUED', 'FAILED') OR (d.status = 'SENDING' AND d.claimed_at < now() - $6 * interval '1 millisecond')
     RETURNING key`,
    [message.key, message.recipientId, message.kind, message.designId, JSON.stringify(message), leaseMs],
  );
  if (taken.length > 0) return { claimed: true };
  const [row]: { status: DeliveryStatus }[] = await m.query(`SELECT status FROM notification_deliveries WHERE key = $1`, [message.key]);
  return { claimed: false, status: row?.status ?? 'SENDING' };
}

/** Ends the claim of `key` with its outcome (and why, for SKIPPED and FAILED). */
export async function finishDelivery(
  m: EntityManager,
  key: string,
  status: 'FAILED' | 'SENT' | 'SKIPPED',
  detail: string | null,
): Promise<void> {
  await m.query(`UPDATE notification_deliveries SET status = $2, detail = $3, finished_at = now() WHERE key = $1`, [
    key,
    status,
    detail?.slice(0, 1000) ?? null,
  ]);
}

export interface QueuedDelivery {
  /** The message's key (named `id` for the reconciler's paging). */
  id: string;
  data: NotificationJobData;
  requeueCount: number;
}

/**
 * Messages still to send since before `before`, a page in key order: QUEUED (their job never
 * started), or FAILED with attempts of their job left (`attemptsPerJob` per queuing).
 */
export async function findWaitingDeliveries(
  m: EntityManager,
  props: { before: Date; afterId: string; limit: number; attemptsPerJob: number },
): Promise<QueuedDelivery[]> {
  const rows: { key: string; data: NotificationJobData; requeue_count: number }[] = await m.query(
    `SELECT key, data, requeue_count FROM notification_deliveries
      WHERE (status = 'QUEUED' OR (status = 'FAILED' AND attempts < $4 * (requeue_count + 1)))
        AND COALESCE(finished_at, queued_at) < $1 AND key > $2
      ORDER BY key LIMIT $3`,
    [props.before, props.afterId, props.limit, props.attemptsPerJob],
  );
  return rows.map((r) => ({ id: r.key, data: r.data, requeueCount: r.requeue_count }));
}

/** Counts a requeue of a message still waiting with `requeueCount`, QUEUED again from now; false when something else came first. */
export async function countDeliveryRequeue(m: EntityManager, key: string, requeueCount: number): Promise<boolean> {
  const [, count]: [unknown, number] = await m.query(
    `UPDATE notification_deliveries SET requeue_count = requeue_count + 1, status = 'QUEUED', queued_at = now(), finished_at = NULL
      WHERE key = $1 AND status IN ('QUEUED', 'FAILED') AND requeue_count = $2`,
    [key, requeueCount],
  );
  return count === 1;
}

/** Gives a waiting message up (the reconciler's verdict); false when its job took it meanwhile. */
export async function abandonDelivery(m: EntityManager, key: string, reason: string): Promise<boolean> {
  const [, count]: [unknown, number] = await m.query(
    `UPDATE notification_deliveries SET status = 'ABANDONED', detail = $2, finished_at = now()
      WHERE key = $1 AND status IN ('QUEUED', 'FAILED')`,
    [key, reason.slice(0, 1000)],
  );
  return count === 1;
}

/** Removes the delivery rows queued before `before`; how many. */
export async function deleteDeliveriesBefore(m: EntityManager, before: Date): Promise<number> {
  const [, count]: [unknown, number] = await m.query(`DELETE FROM notification_deliveries WHERE queued_at < $1`, [before]);
  return count;
}
