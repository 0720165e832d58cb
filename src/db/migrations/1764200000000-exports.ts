import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Exports: the table the export pipeline fills (issue 5); reads and live updates come first. */
export class Exports1764200000000 implements MigrationInterface {
  name = 'Exports1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exports (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        requested_by uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('IMAGE', 'VIDEO', 'MODEL', 'TECHPACK')),
        format text NOT NULL CHECK (format IN ('PNG', 'JPEG', 'WEBP', 'MP4', 'WEBM', 'GIF', 'GLB', 'GLTF', 'OBJ', 'PDF')),
        status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        options jsonb NOT NULL DEFAULT '{}',
        version int,
        revision int NOT NULL,
        file_key text,
        file_name text,
        file_size bigint,
        error text,
        retry_count int NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        expires_at timestamptz
      )`);
    await q.query(`CREATE INDEX exports_design_created ON exports (design_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX exports_expiry ON exports (expires_at) WHERE expires_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS exports`);
  }
}
