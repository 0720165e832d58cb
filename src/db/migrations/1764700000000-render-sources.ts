import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A render keeps the scene sources (avatar and catalog data) its hash was computed from, so the
 * worker draws exactly what was hashed; and only one render per design and hash can be on its way,
 * so equal requests at the same moment share it instead of racing to make two.
 */
export class RenderSources1764700000000 implements MigrationInterface {
  name = 'RenderSources1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE renders ADD COLUMN scene_sources jsonb`);
    // No render may start between the clean-up of duplicates and the unique index (a rolling deploy).
    await q.query(`LOCK TABLE renders IN SHARE ROW EXCLUSIVE MODE`);
    // Duplicates the old check let through: the newest stays on its way, the others fail with the
    // reason, and the states kept for them go.
    await q.query(
      `WITH failed AS (
         UPDATE renders r SET status = 'FAILED', error = 'an equal render was requested at the same moment', completed_at = now()
         WHERE status IN ('QUEUED', 'RENDERING') AND EXISTS (
           SELECT 1 FROM renders n WHERE n.design_id = r.design_id AND n.render_hash = r.render_hash
             AND n.status IN ('QUEUED', 'RENDERING') AND (n.created_at, n.id) > (r.created_at, r.id))
         RETURNING r.id)
       DELETE FROM design_snapshots WHERE id IN (SELECT id FROM failed)`,
    );
    // It replaces the plain index of the same name, which served the lookup alone.
    await q.query(`DROP INDEX renders_in_flight`);
    await q.query(`CREATE UNIQUE INDEX renders_in_flight ON renders (design_id, render_hash) WHERE status IN ('QUEUED', 'RENDERING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX renders_in_flight`);
    await q.query(`CREATE INDEX renders_in_flight ON renders (render_hash) WHERE status IN ('QUEUED', 'RENDERING')`);
    await q.query(`ALTER TABLE renders DROP COLUMN scene_sources`);
  }
}
