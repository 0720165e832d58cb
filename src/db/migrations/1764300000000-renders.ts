import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side renders (issue 5) and the PostgreSQL render cache of the snapshot store. */
export class Renders1764300000000 implements MigrationInterface {
  name = 'Renders1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE renders (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        requested_by uuid NOT NULL,
        render_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('QUEUED', 'RENDERING', 'COMPLETED', 'FAILED')),
        cache_hit boolean NOT NULL DEFAULT false,
        width int NOT NULL CHECK (width BETWEEN 16 AND 4096),
        height int NOT NULL CHECK (height BETWEEN 16 AND 4096),
        format text NOT NULL CHECK (format IN ('PNG', 'JPEG', 'WEBP')),
        settings jsonb NOT NULL,
        default_settings boolean NOT NULL,
        revision int NOT NULL,
        file_key text,
        duration_ms int,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX renders_design_preview ON renders (design_id, created_at DESC) WHERE status = 'COMPLETED' AND default_settings`,
    );
    await q.query(`CREATE INDEX renders_in_flight ON renders (render_hash) WHERE status IN ('QUEUED', 'RENDERING')`);
    await q.query(`
      CREATE TABLE render_cache (
        render_hash text PRIMARY KEY,
        file_key text NOT NULL,
        width int NOT NULL,
        height int NOT NULL,
        format text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX render_cache_expiry ON render_cache (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS render_cache`);
    await q.query(`DROP TABLE IF EXISTS renders`);
  }
}
