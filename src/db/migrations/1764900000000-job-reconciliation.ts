import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the reconciler (services/recovery) needs to queue again the renders and exports whose jobs
 * Redis lost: how often it did so for the current run (it gives up after a few), when the run was last
 * queued (by its request, a retry or the reconciler: within the grace period its job may still be on
 * its way to Redis), and indexes over the renders and exports in flight, which it reads in id order.
 */
export class JobReconciliation1764900000000 implements MigrationInterface {
  name = 'JobReconciliation1764900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['renders', 'exports']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN requeue_count int NOT NULL DEFAULT 0`);
      // Existing rows take the time of the migration: one in flight then waits one grace period more.
      await q.query(`ALTER TABLE ${table} ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now()`);
    }
    await q.query(`CREATE INDEX exports_in_flight ON exports (id) WHERE status IN ('QUEUED', 'PROCESSING')`);
    await q.query(`CREATE INDEX renders_in_flight_by_id ON renders (id) WHERE status IN ('QUEUED', 'RENDERING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX renders_in_flight_by_id`);
    await q.query(`DROP INDEX exports_in_flight`);
    for (const table of ['renders', 'exports']) await q.query(`ALTER TABLE ${table} DROP COLUMN queued_at, DROP COLUMN requeue_count`);
  }
}
