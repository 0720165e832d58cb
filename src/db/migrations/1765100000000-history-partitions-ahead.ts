import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log's monthly partitions, created from a given moment (a scheduled job runs it, and tests
 * move the clock), and created even when rows of that month already sit in the DEFAULT partition
 * (a process that ran past a month's start without one): those rows move into the new partition in
 * the same transaction, instead of the partition failing to be created for good.
 */
export class HistoryPartitionsAhead1765100000000 implements MigrationInterface {
  name = 'HistoryPartitionsAhead1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ensure_history_partitions(int)`);
    await q.query(`
      CREATE FUNCTION ensure_history_partitions(months_ahead int, at timestamptz DEFAULT now()) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        month_start date;
        month_end date;
        partition_name text;
        created int := 0;
      BEGIN
        FOR i IN 0..months_ahead LOOP
          month_start := (date_trunc('month', at AT TIME ZONE 'UTC') + make_interval(months => i))::date;
          month_end := (month_start + interval '1 month')::date;
          partition_name := 'design_history_' || to_char(month_start, 'YYYY_MM');
          CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
          -- One creator at a time: replicas and workers run this side by side.
          LOCK TABLE design_history_default IN EXCLUSIVE MODE;
          CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
          EXECUTE format('CREATE TABLE %I (LIKE design_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
          EXECUTE format(
            'WITH moved AS (DELETE FROM design_history_default WHERE created_at >= %L::timestamptz AND created_at < %L::timestamptz RETURNING *)
             INSERT INTO %I SELECT * FROM moved',
            month_start::timestamp AT TIME ZONE 'UTC', month_end::timestamp AT TIME ZONE 'UTC', partition_name);
          EXECUTE format('ALTER TABLE design_history ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
            partition_name, month_start::timestamp AT TIME ZONE 'UTC', month_end::timestamp AT TIME ZONE 'UTC');
          created := created + 1;
        END LOOP;
        RETURN created;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ensure_history_partitions(int, timestamptz)`);
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
  }
}
