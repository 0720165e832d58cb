import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Render files are removed by their key once every render showing them is older than the cache keeps them. */
export class RenderFiles1764500000000 implements MigrationInterface {
  name = 'RenderFiles1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX renders_file_key ON renders (file_key) WHERE file_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX renders_file_key`);
  }
}
