import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The snapshot store's fields as the specification names them, in both adapters: a version's
 * snapshot names its version (one per version), an autosave the user whose change it saved, and a
 * render cache entry counts its hits and when it was last used.
 */
export class StoreFields1765200000000 implements MigrationInterface {
  name = 'StoreFields1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE design_snapshots ADD COLUMN version_id uuid`);
    await q.query(`UPDATE design_snapshots s SET version_id = v.id FROM design_versions v WHERE v.snapshot_id = s.id`);
    await q.query(`CREATE UNIQUE INDEX design_snapshots_version ON design_snapshots (design_id, version_id) WHERE version_id IS NOT NULL`);
    await q.query(`ALTER TABLE design_autosaves ADD COLUMN user_id uuid`);
    await q.query(`ALTER TABLE render_cache ADD COLUMN hit_count int NOT NULL DEFAULT 0, ADD COLUMN last_accessed timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE render_cache DROP COLUMN hit_count, DROP COLUMN last_accessed`);
    await q.query(`ALTER TABLE design_autosaves DROP COLUMN user_id`);
    await q.query(`DROP INDEX design_snapshots_version`);
    await q.query(`ALTER TABLE design_snapshots DROP COLUMN version_id`);
  }
}
