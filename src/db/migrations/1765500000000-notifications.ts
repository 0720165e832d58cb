import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail notifications: each user's choice per kind (a row only once changed; no row is on), and
 * one row per message (recipient and event), which keeps a retried or duplicated job from sending
 * it twice (EM3).
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
        status text NOT NULL CHECK (status IN ('SENDING', 'FAILED', 'SENT', 'SKIPPED')),
        attempts int NOT NULL DEFAULT 1,
        claimed_at timestamptz NOT NULL,
        finished_at timestamptz,
        detail text
      )`);
    // For the clean-up, which removes rows past their keeping time (EM3).
    await q.query(`CREATE INDEX notification_deliveries_claimed ON notification_deliveries (claimed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`DROP TABLE notification_settings`);
  }
}
