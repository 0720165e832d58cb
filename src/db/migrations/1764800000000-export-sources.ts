import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An export keeps the avatar and catalog data it was asked with, so the worker makes the file from what the user saw. */
export class ExportSources1764800000000 implements MigrationInterface {
  name = 'ExportSources1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exports ADD COLUMN sources jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exports DROP COLUMN sources`);
  }
}
