import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An export keeps the avatar and catalog data it was asked with, so the worker makes the file from
 * what the user saw; snapshots are found by when they were written, for the orphan clean-up.
 */
export class ExportSources1764800000000 implements MigrationInterface {
  name = 'ExportSources1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exports ADD COLUMN sources jsonb`);
    await q.query(`CREATE INDEX design_snapshots_written ON design_snapshots (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX design_snapshots_written`);
    await q.query(`ALTER TABLE exports DROP COLUMN sources`);
  }
}
