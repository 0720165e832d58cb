import type { EntityManager } from 'typeorm';
import type { NotificationKind } from '../domain/notifications';
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

export interface DeliveryClaim {
  key: string;
  recipientId: string;
  kind: NotificationKind;
  designId: string;
}

export type DeliveryStatus = 'SENDING' | 'FAILED' | 'SENT' | 'SKIPPED';

/**
 * Takes the message `key` for sending: a new key, one whose last attempt FAILED, or one SENDING for
 * longer than `leaseMs` (its sender died between the SMTP server taking it and saying so here).
 * Otherwise the status that stands: SENT or SKIPPED (done), SENDING (someone is at it).
 */
export async function claimDelivery(
  m: EntityManager,
  claim: DeliveryClaim,
  leaseMs: number,
): Promise<{ claimed: true } | { claimed: false; status: DeliveryStatus }> {
  const taken: unknown[] = await m.query(
    `INSERT INTO notification_deliveries AS d (key, recipient_id, kind, design_id, status, claimed_at)
     VALUES ($1, $2, $3, $4, 'SENDING', now())
     ON CONFLICT (key) DO UPDATE SET status = 'SENDING', claimed_at = now(), attempts = d.attempts + 1, detail = NULL
       WHERE d.status = 'FAILED' OR (d.status = 'SENDING' AND d.claimed_at < now() - $5 * interval '1 millisecond')
     RETURNING key`,
    [claim.key, claim.recipientId, claim.kind, claim.designId, leaseMs],
  );
  if (taken.length > 0) return { claimed: true };
  const [row]: { status: DeliveryStatus }[] = await m.query(`SELECT status FROM notification_deliveries WHERE key = $1`, [claim.key]);
  return { claimed: false, status: row?.status ?? 'SENDING' };
}

/** Ends the claim of `key` with its outcome (and why, for SKIPPED and FAILED). */
export async function finishDelivery(
  m: EntityManager,
  key: string,
  status: Exclude<DeliveryStatus, 'SENDING'>,
  detail: string | null,
): Promise<void> {
  await m.query(`UPDATE notification_deliveries SET status = $2, detail = $3, finished_at = now() WHERE key = $1`, [
    key,
    status,
    detail?.slice(0, 1000) ?? null,
  ]);
}

/** Removes the delivery rows claimed before `before`; how many. */
export async function deleteDeliveriesBefore(m: EntityManager, before: Date): Promise<number> {
  const [, count]: [unknown, number] = await m.query(`DELETE FROM notification_deliveries WHERE claimed_at < $1`, [before]);
  return count;
}
