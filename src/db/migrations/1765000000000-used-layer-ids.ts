import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every layer id ever used, kept after its layer is removed: undo, redo and restores put layers back
 * under their old ids, and a client-chosen id (addLayer) must stay taken for good, so that whether it
 * is taken says nothing about whether its layer still exists. A trigger records each id a layer row
 * is inserted with, whichever path inserts it.
 */
export class UsedLayerIds1765000000000 implements MigrationInterface {
  name = 'UsedLayerIds1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE used_layer_ids (id uuid PRIMARY KEY)`);
    await q.query(`
      CREATE FUNCTION remember_layer_id() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO used_layer_ids (id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER layers_remember_id AFTER INSERT ON layers FOR EACH ROW EXECUTE FUNCTION remember_layer_id()`);
    // The ids used so far: today's layers, those the change log names, and those in the states a
    // restore can bring back (when the snapshot store is PostgreSQL's).
    await q.query(`
      INSERT INTO used_layer_ids (id)
      SELECT id FROM layers
      UNION SELECT (data->'layer'->>'id')::uuid FROM design_history
        WHERE action IN ('LAYER_ADDED', 'LAYER_REMOVED', 'LAYER_DUPLICATED') AND data->'layer'->>'id' IS NOT NULL
      UNION SELECT (layer->>'id')::uuid FROM design_snapshots, jsonb_array_elements(state->'layers') AS layer
      UNION SELECT (layer->>'id')::uuid FROM design_autosaves, jsonb_array_elements(state->'layers') AS layer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER layers_remember_id ON layers`);
    await q.query(`DROP FUNCTION remember_layer_id()`);
    await q.query(`DROP TABLE used_layer_ids`);
  }
}
