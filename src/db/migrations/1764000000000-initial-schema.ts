import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  BlendMode,
  CollaboratorRole,
  DesignCategory,
  DesignStatus,
  DesignVisibility,
  HistoryAction,
  LayerType,
  RenderQuality,
  sqlValues,
} from '../../../entities/enums';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE designs (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        description text CHECK (char_length(description) <= 5000),
        avatar_id text,
        category text CHECK (category IN (${sqlValues(DesignCategory)})),
        tags text[] NOT NULL DEFAULT '{}',
        occasions text[] NOT NULL DEFAULT '{}',
        seasons text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN (${sqlValues(DesignStatus)})),
        visibility text NOT NULL DEFAULT 'PRIVATE' CHECK (visibility IN (${sqlValues(DesignVisibility)})),
        revision int NOT NULL DEFAULT 0 CHECK (revision >= 0),
        version int NOT NULL DEFAULT 1 CHECK (version >= 1),
        forked_from_id uuid REFERENCES designs(id),
        fork_count int NOT NULL DEFAULT 0 CHECK (fork_count >= 0),
        view_count int NOT NULL DEFAULT 0 CHECK (view_count >= 0),
        like_count int NOT NULL DEFAULT 0 CHECK (like_count >= 0),
        creation_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_edited_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX designs_owner_last_edited ON designs (owner_id, last_edited_at DESC, id DESC) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX designs_avatar ON designs (avatar_id) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX designs_public ON designs (last_edited_at DESC, id DESC) WHERE deleted_at IS NULL AND visibility = 'PUBLIC' AND status = 'PUBLISHED'`,
    );
    await q.query(`CREATE INDEX designs_tags ON designs USING gin (tags)`);
    await q.query(`CREATE INDEX designs_occasions ON designs USING gin (occasions)`);
    await q.query(`CREATE INDEX designs_seasons ON designs USING gin (seasons)`);

    await q.query(`
      CREATE TABLE layer_groups (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        name text CHECK (char_length(name) <= 200),
        visible boolean NOT NULL DEFAULT true,
        locked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX layer_groups_design ON layer_groups (design_id)`);

    await q.query(`
      CREATE TABLE layers (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        group_id uuid REFERENCES layer_groups(id) ON DELETE SET NULL,
        type text NOT NULL CHECK (type IN (${sqlValues(LayerType)})),
        name text CHECK (char_length(name) <= 200),
        position int NOT NULL CHECK (position >= 0),
        catalog_item_id text NOT NULL,
        transform jsonb NOT NULL,
        customization jsonb NOT NULL,
        visible boolean NOT NULL DEFAULT true,
        locked boolean NOT NULL DEFAULT false,
        blend_mode text NOT NULL DEFAULT 'NORMAL' CHECK (blend_mode IN (${sqlValues(BlendMode)})),
        opacity smallint NOT NULL DEFAULT 100 CHECK (opacity BETWEEN 0 AND 100),
        notes text CHECK (char_length(notes) <= 5000),
        creation_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT layers_design_position UNIQUE (design_id, position) DEFERRABLE INITIALLY DEFERRED
      )`);
    await q.query(`CREATE INDEX layers_group ON layers (group_id) WHERE group_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE canvas_settings (
        design_id uuid PRIMARY KEY REFERENCES designs(id) ON DELETE CASCADE,
        camera jsonb NOT NULL,
        lighting jsonb NOT NULL,
        background jsonb NOT NULL,
        show_grid boolean NOT NULL,
        show_guides boolean NOT NULL,
        snap_to_grid boolean NOT NULL,
        grid_size double precision NOT NULL CHECK (grid_size > 0),
        render_quality text NOT NULL CHECK (render_quality IN (${sqlValues(RenderQuality)})),
        antialiasing boolean NOT NULL,
        shadows boolean NOT NULL,
        ambient_occlusion boolean NOT NULL
      )`);

    await q.query(`
      CREATE TABLE collaborators (
        design_id uuid NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN (${sqlValues(CollaboratorRole)})),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (design_id, user_id)
      )`);
    await q.query(`CREATE INDEX collaborators_user ON collaborators (user_id)`);

    // The change log grows without bound: monthly partitions keep old months cheap to archive or drop.
    await q.query(`
      CREATE TABLE design_history (
        id uuid NOT NULL,
        design_id uuid NOT NULL,
        revision int NOT NULL,
        action text NOT NULL CHECK (action IN (${sqlValues(HistoryAction)})),
        actor_id uuid,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await q.query(`CREATE INDEX design_history_design_revision ON design_history (design_id, revision)`);
    await q.query(`CREATE TABLE design_history_default PARTITION OF design_history DEFAULT`);
    await q.query(`
      CREATE FUNCTION ensure_history_partitions(months_ahead int) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        month_start date;
        partition_name text;
      BEGIN
        FOR i IN 0..months_ahead LOOP
          month_start := (date_trunc('month', now()) + make_interval(months => i))::date;
          partition_name := 'design_history_' || to_char(month_start, 'YYYY_MM');
          IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF design_history FOR VALUES FROM (%L) TO (%L)',
              partition_name, month_start, (month_start + interval '1 month')::date);
          END IF;
        END LOOP;
      END $$`);
    await q.query(`SELECT ensure_history_partitions(2)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ensure_history_partitions(int)`);
    for (const table of ['design_history', 'collaborators', 'canvas_settings', 'layers', 'layer_groups', 'designs']) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}
