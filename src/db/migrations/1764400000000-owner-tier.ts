import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner's tier on each design: a design's layer limit is its owner's, whoever edits it. Tiers
 * come only in tokens, so it is set at creation and refreshed whenever the owner changes the design;
 * designs from before this migration have none until then (the editor's tier applies meanwhile).
 */
export class OwnerTier1764400000000 implements MigrationInterface {
  name = 'OwnerTier1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE designs ADD COLUMN owner_tier text CHECK (owner_tier IN ('free', 'pro', 'enterprise'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE designs DROP COLUMN owner_tier`);
  }
}
