import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Share links (issue 14): only a hash of each token is kept, so the table alone cannot be used to join.
 * Likes and views: one row per liker, and one per viewer and day, so that `like_count` and
 * `view_count` on the design move once per person (views per day) however often they ask.
 */
export class ShareLinksLikesViews1765400000000 implements MigrationInterface {
  name = 'ShareLinksLikesViews1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE share_links (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('VIEWER', 'COMMENTER', 'EDITOR')),
        token_hash text NOT NULL UNIQUE,
        token_hint text NOT NULL,
        expires_at timestamptz,
        max_uses int CHECK (max_uses > 0),
        uses int NOT NULL DEFAULT 0 CHECK (max_uses IS NULL OR uses <= max_uses),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX share_links_design ON share_links (design_id, created_at) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE design_likes (
        design_id uuid NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        liked_at timestamptz NOT NULL,
        PRIMARY KEY (design_id, user_id)
      )`);
    await q.query(`CREATE INDEX design_likes_user ON design_likes (user_id, design_id)`);
    await q.query(`
      CREATE TABLE design_views (
        design_id uuid NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
        viewer text NOT NULL,
        day date NOT NULL,
        PRIMARY KEY (design_id, viewer, day)
      )`);
    await q.query(`CREATE INDEX design_views_day ON design_views (day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE design_views`);
    await q.query(`DROP TABLE design_likes`);
    await q.query(`DROP TABLE share_links`);
  }
}
