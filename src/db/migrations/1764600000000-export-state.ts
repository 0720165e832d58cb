import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the state an export was made from is still kept (to make it again on retry). An export
 * keeps its file or, FAILED or CANCELLED, its chance of a retry until `expires_at`, 7 days on.
 */
export class ExportState1764600000000 implements MigrationInterface {
  name = 'ExportState1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exports ADD COLUMN state_kept boolean NOT NULL DEFAULT true`);
    await q.query(
      `UPDATE exports SET expires_at = completed_at + interval '7 days' WHERE status IN ('FAILED', 'CANCELLED') AND expires_at IS NULL AND completed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX exports_kept_until ON exports (expires_at) WHERE file_key IS NOT NULL OR state_kept`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX exports_kept_until`);
    await q.query(`ALTER TABLE exports DROP COLUMN state_kept`);
  }
}
