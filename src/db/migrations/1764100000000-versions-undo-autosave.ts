import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live events, versions, undo/redo and autosave (issue 4). */
export class VersionsUndoAutosave1764100000000 implements MigrationInterface {
  name = 'VersionsUndoAutosave1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // The event subscribers saw for that revision, so that a replay sends exactly the same thing.
    await q.query(`ALTER TABLE design_history ADD COLUMN event jsonb`);
    await q.query(`ALTER TABLE designs ADD COLUMN last_autosave_at timestamptz`);

    await q.query(`
      CREATE TABLE design_versions (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        number int NOT NULL CHECK (number >= 1),
        kind text NOT NULL CHECK (kind IN ('INITIAL', 'CHECKPOINT', 'AUTOSAVE', 'RESTORE', 'FORK')),
        message text CHECK (char_length(message) <= 1000),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revision int NOT NULL,
        snapshot_id uuid NOT NULL,
        diff jsonb,
        UNIQUE (design_id, number)
      )`);

    // One row per undoable change of a user: the undo stack (undone = false, newest seq on top) and
    // the redo stack (undone = true, newest undone_seq on top) in one table.
    await q.query(`
      CREATE TABLE undo_entries (
        seq bigserial PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        revision int NOT NULL,
        undone boolean NOT NULL DEFAULT false,
        undone_seq bigint
      )`);
    await q.query(`CREATE INDEX undo_entries_stack ON undo_entries (design_id, user_id, undone, seq DESC)`);

    // The PostgreSQL snapshot store (the MongoDB adapter keeps the same data in collections).
    await q.query(`
      CREATE TABLE design_snapshots (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL,
        revision int NOT NULL,
        state jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX design_snapshots_design ON design_snapshots (design_id)`);
    await q.query(`
      CREATE TABLE design_autosaves (
        design_id uuid NOT NULL,
        number int NOT NULL,
        revision int NOT NULL,
        state jsonb NOT NULL,
        diff jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (design_id, number)
      )`);
    await q.query(`CREATE INDEX design_autosaves_expiry ON design_autosaves (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['design_autosaves', 'design_snapshots', 'undo_entries', 'design_versions']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE designs DROP COLUMN IF EXISTS last_autosave_at`);
    await q.query(`ALTER TABLE design_history DROP COLUMN IF EXISTS event`);
  }
}
