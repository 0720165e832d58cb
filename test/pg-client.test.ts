import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { prepared, preparedName } from '../src/db/prepared-statements';

/** The pool's client (src/db/pg-client.ts): BEGIN held back until the first statement, declared statements named. */
describe('pool client: deferred BEGIN and prepared statements', () => {
  let db: DataSource;
  const table = `pg_client_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  before(async () => {
    db = createDataSource({ ...loadConfig(process.env), databasePoolSize: 1 });
    await db.initialize();
    await db.query(`CREATE TABLE ${table} (n int PRIMARY KEY)`);
  });
  after(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.destroy();
  });
  // With one connection in the pool, every call below runs on the same one: what a transaction leaves behind shows.
  const outsideTransaction = async () => {
    await assert.rejects(db.query('SAVEPOINT probe'), /SAVEPOINT can only be used in transaction blocks/);
  };

  test('statements of a transaction commit together, and one that fails takes the others back', async () => {
    await db.transaction(async (m) => {
      await m.query(`INSERT INTO ${table} (n) VALUES ($1)`, [1]);
      await m.query(`INSERT INTO ${table} (n) VALUES ($1)`, [2]);
    });
    await outsideTransaction();
    await assert.rejects(
      db.transaction(async (m) => {
        await m.query(`INSERT INTO ${table} (n) VALUES ($1)`, [3]);
        await m.query(`INSERT INTO ${table} (n) VALUES ($1)`, [1]);
      }),
      /duplicate key/,
    );
    await outsideTransaction();
    const rows: { n: number }[] = await db.query(`SELECT n FROM ${table} ORDER BY n`);
    assert.deepEqual(
      rows.map((r) => r.n),
      [1, 2],
    );
  });

  test('BEGIN leaves with the transaction’s first statement, not when the transaction is opened', async () => {
    const [{ ms }] = await db.transaction(async (m) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (await m.query(`SELECT extract(epoch FROM statement_timestamp() - transaction_timestamp()) * 1000 AS ms`)) as { ms: number }[];
    });
    assert.ok(Number(ms) < 100, `the transaction began ${ms} ms before its first statement`);
  });

  test('a first statement that fails leaves no transaction open; a transaction that ran nothing sends nothing and leaves none', async () => {
    await assert.rejects(
      db.transaction(async (m) => {
        await m.query(`INSERT INTO ${table} (n) VALUES ($1)`, ['not a number']);
      }),
      /invalid input syntax/,
    );
    await outsideTransaction();
    await db.transaction(async () => undefined);
    await outsideTransaction();
    await assert.rejects(
      db.transaction(async () => {
        throw new Error('refused before any statement');
      }),
      /refused before any statement/,
    );
    await outsideTransaction();
  });

  test('a declared statement runs as a named statement, prepared once per connection', async () => {
    const text = prepared(`SELECT count(*)::int AS n FROM ${table} WHERE n > $1`);
    const name = preparedName(text)!;
    assert.ok(name);
    for (let i = 0; i < 3; i++) assert.deepEqual(await db.query(text, [0]), [{ n: 2 }]);
    const statements: { name: string }[] = await db.query(`SELECT name FROM pg_prepared_statements WHERE name = $1`, [name]);
    assert.deepEqual(statements, [{ name }]);
  });
});
