import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail notifications: each user's choice per kind (a row only once changed; no row is on), and
 * one row per message (recipient and event), written in the transaction of the event with the job's
 * data: the reconciler queues a message again when Redis lost its job, and a retried or duplicated
 * job finds it sent (EM3).
 */
export class Notifications1765500000000 implements MigrationInterface {
  name = 'Notifications1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_settings (
        user_id uuid NOT NULL,
        kind text NOT NULL,
        email boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      )`);
    await q.query(`
      CREATE TABLE notification_deliveries (
        key text PRIMARY KEY,
        recipient_id uuid NOT NULL,
        kind text NOT NULL,
        design_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('QUEUED', 'SENDING', 'FAILED', 'SENT', 'SKIPPED', 'ABANDONED')),
        data jsonb NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        requeue_count int NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        finished_at timestamptz,
        detail text
      )`);
    // The reconciler's look-up of messages waiting for their job, or for its next attempt.
    await q.query(`CREATE INDEX notification_deliveries_waiting ON notification_deliveries (key) WHERE status IN ('QUEUED', 'FAILED')`);
    // The clean-up's, of rows past their keeping time.
    await q.query(`CREATE INDEX notification_deliveries_queued_at ON notification_deliveries (queued_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`DROP TABLE notification_settings`);
  }
}
