import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comments on a design (issue 14) and their own ordered log of events. Comments are not content: no
 * revision, no change-log entry; `comment_streams` numbers each design's comment events instead,
 * its row lock making the numbers commit in order (docs/collaboration.md, CM9).
 */
export class Comments1765300000000 implements MigrationInterface {
  name = 'Comments1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        author_id uuid NOT NULL,
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
        mention_ids uuid[] NOT NULL DEFAULT '{}',
        -- No foreign key: a removed layer may come back under its id (undo, restore), and the pin with it.
        layer_id uuid,
        anchor jsonb,
        revision int NOT NULL CHECK (revision >= 0),
        version_id uuid REFERENCES design_versions(id) ON DELETE SET NULL,
        parent_id uuid REFERENCES comments(id) ON DELETE CASCADE,
        resolved_by uuid,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL,
        edited_at timestamptz,
        CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))
      )`);
    // A design's comments: the threads page, the per-design count of the limit, the deletion with the design.
    await q.query(`CREATE INDEX comments_design ON comments (design_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX comments_replies ON comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE comment_streams (
        design_id uuid PRIMARY KEY REFERENCES designs(id) ON DELETE CASCADE,
        last_seq int NOT NULL CHECK (last_seq >= 0)
      )`);
    await q.query(`
      CREATE TABLE comment_events (
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        seq int NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        comment_id uuid NOT NULL,
        parent_id uuid,
        actor_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (design_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE comment_events`);
    await q.query(`DROP TABLE comment_streams`);
    await q.query(`DROP TABLE comments`);
  }
}
