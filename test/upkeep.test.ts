import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { dropDatabase, ensureDatabase, withDatabase } from '../scripts/services';
import { ensureComingPartitions } from '../src/services/history/ensure-partitions';
import { asUser, inProcessApp, makeDesignIn } from './in-process';

const monthsLater = (months: number) => {
  const at = new Date();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() + months);
  return at;
};
const partitionOf = (at: Date) => `design_history_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, '0')}`;

describe('upkeep a long-running deployment needs', () => {
  const services = inProcessApp();

  test('change-log partitions follow the clock: with the clock moved past their months, rows already in DEFAULT move into the new partitions', async () => {
    const ctx = asUser(services.app());
    const design = await makeDesignIn(ctx);
    const db = services.app().db;
    // A process that ran past its months without the job: this month's change log went to DEFAULT.
    const later = monthsLater(14);
    const stray = randomUUID();
    await db.query(
      `INSERT INTO design_history (id, design_id, revision, action, actor_id, data, event, created_at)
       VALUES ($1, $2, 1000, 'DESIGN_UPDATED', NULL, '{}', NULL, $3)`,
      [stray, design.id, new Date(later.getTime() + 3 * 24 * 3600 * 1000)],
    );
    const tableOf = async (id: string) =>
      ((await db.query(`SELECT tableoid::regclass::text AS t FROM design_history WHERE id = $1`, [id])) as { t: string }[])[0]?.t;
    assert.equal(await tableOf(stray), 'design_history_default');

    const done = await ensureComingPartitions(ctx, { now: later });
    assert.match(done, /^3 change-log partitions created/);
    assert.equal(await tableOf(stray), partitionOf(later));
    for (const months of [14, 15, 16]) {
      const [row] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [partitionOf(monthsLater(months))])) as {
        present: boolean;
      }[];
      assert.equal(row?.present, true, partitionOf(monthsLater(months)));
    }
    assert.match(await ensureComingPartitions(ctx, { now: later }), /^0 change-log partitions created/);
  });

  test('migrations are a step of their own in production: start refuses a database with some pending, npm run migrate runs them once', async () => {
    const databaseUrl = withDatabase(process.env.DATABASE_URL!, `design_migrate_${randomUUID().slice(0, 8)}`);
    await ensureDatabase(databaseUrl);
    const run = (script: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [join(__dirname, '..', script)], {
          env: {
            ...process.env,
            DATABASE_URL: databaseUrl,
            NODE_ENV: 'production',
            FILE_URL_SECRET: 'f'.repeat(32),
            PORT: '0',
            LOG_LEVEL: 'info',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, output });
        });
      });
    try {
      const refused = await run('src/main.js');
      assert.equal(refused.code, 1, refused.output);
      assert.match(refused.output, /migrations pending: run `npm run migrate`/);
      const first = await run('src/migrate.js');
      assert.equal(first.code, 0, first.output);
      assert.match(first.output, /migrations run/);
      const second = await run('src/migrate.js');
      assert.equal(second.code, 0, second.output);
      assert.match(second.output, /no migration was pending/);
    } finally {
      await dropDatabase(databaseUrl);
    }
  });

  test("the entities and the migrations agree on every table and column (name, type, nullability): TypeORM's schema diff only drops what the migrations alone declare", async () => {
    const diff = await services.app().db.driver.createSchemaBuilder().log();
    // Indexes, foreign keys, CHECK constraints and column defaults are written in the migrations only
    // (the entities would repeat them), so the diff proposes dropping those and nothing else.
    const onlyInMigrations = /^(DROP INDEX|ALTER TABLE "\w+" DROP CONSTRAINT|ALTER TABLE "\w+" ALTER COLUMN "\w+" DROP DEFAULT)\b/;
    const disagreements = diff.upQueries.map((q) => q.query).filter((query) => !onlyInMigrations.test(query));
    assert.deepEqual(disagreements, []);
  });
});
