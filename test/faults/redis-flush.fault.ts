import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { gql, graphql, makeUser, startDesignSubgraph, startWorkers } from '../helpers';
import { startPrivateRedis } from '../private-redis';
import { caseEnv, countBy, figures, ownDatabase, sleep, withScope } from './harness';

const DESIGNS = 4;
const CREATE = graphql(`
  mutation ($name: String!) {
    createDesign(input: { name: $name }) {
      id
    }
  }
`);
const EXPORT_IMAGE = graphql(`
  mutation ($d: ID!) {
    exportDesign(designId: $d, input: { type: IMAGE, format: PNG, image: { width: 48, height: 48 } }) {
      id
    }
  }
`);
const EXPORT_VIDEO = graphql(`
  mutation ($d: ID!) {
    exportDesign(designId: $d, input: { type: VIDEO, format: MP4, video: { width: 160, height: 120, fps: 10, durationSeconds: 2 } }) {
      id
    }
  }
`);
const RENDER = graphql(`
  mutation ($d: ID!) {
    requestRender(designId: $d, settings: { width: 512, height: 512 }) {
      id
    }
  }
`);

interface Row {
  kind: string;
  status: string;
  error: string | null;
}

test('the private Redis emptied (FLUSHALL) with exports and renders queued and running: each completes or fails with a reason, by the reconciler', async (t) => {
  await withScope(async (scope) => {
    const redis = await startPrivateRedis();
    scope.defer('stop the private Redis', () => redis.stop());
    const databaseUrl = await ownDatabase(scope);
    // One job at a time per queue, so that some are still waiting when Redis is emptied.
    const env = await caseEnv(scope, { databaseUrl, redisUrl: redis.url }, { RECONCILE_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '1' });
    const subgraph = await startDesignSubgraph(env);
    scope.defer('stop the subgraph', () => subgraph.stop());
    const workers = await startWorkers(env);
    scope.defer('stop the workers', () => workers.kill('SIGKILL'));
    const owner = await makeUser();

    const designs = await Promise.all(
      Array.from(
        { length: DESIGNS },
        async (_, i) => (await gql(owner, CREATE, { name: `Design ${i}` }, subgraph.url)).data!.createDesign.id,
      ),
    );
    const asked = await Promise.all(
      designs.flatMap((d) => [
        gql(owner, EXPORT_VIDEO, { d }, subgraph.url),
        gql(owner, EXPORT_IMAGE, { d }, subgraph.url),
        gql(owner, RENDER, { d }, subgraph.url),
      ]),
    );
    assert.deepEqual(
      asked.flatMap((a) => a.errors ?? []),
      [],
    );
    await sleep(300);
    const client = new Redis(redis.url);
    const keysBefore = (await client.dbsize()) as number;
    await client.flushall();
    client.disconnect();
    const flushedAt = performance.now();

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const read = async () =>
        (
          await db.query<Row>(
            `SELECT 'export' AS kind, status, error FROM exports WHERE design_id = ANY($1)
             UNION ALL SELECT 'render', status, error FROM renders WHERE design_id = ANY($1)`,
            [designs],
          )
        ).rows;
      const atFlush = await read();
      let rows = atFlush;
      const settled = (r: Row[]) => r.every((row) => row.status === 'COMPLETED' || row.status === 'FAILED');
      for (let i = 0; i < 400 && !settled(rows); i++) {
        await sleep(100);
        rows = await read();
      }
      const settleMs = Math.round(performance.now() - flushedAt);
      const reconciled = countBy([...workers.output().matchAll(/reconciled with the job queue: (\w+)/g)].map((m) => m[1]!));
      figures(t, 'redis-flush', {
        jobs: rows.length,
        keysFlushed: keysBefore,
        atFlush: countBy(atFlush.map((r) => `${r.kind} ${r.status}`)),
        after: countBy(rows.map((r) => `${r.kind} ${r.status}`)),
        reconciled,
        settledAfterFlushMs: settleMs,
        failedReasons: [...new Set(rows.filter((r) => r.status === 'FAILED').map((r) => r.error))],
      });
      assert.ok(
        atFlush.some((r) => r.status === 'QUEUED'),
        'some were still queued when Redis was emptied',
      );
      assert.ok(settled(rows), `every export and render ended: ${JSON.stringify(countBy(rows.map((r) => `${r.kind} ${r.status}`)))}`);
      assert.ok(
        rows.every((r) => r.status === 'COMPLETED' || (r.error ?? '').length > 0),
        'a failure says why',
      );
      assert.ok((reconciled.requeued ?? 0) > 0, 'the reconciler queued the lost jobs again');
      assert.equal(subgraph.process.exitCode, null);
    } finally {
      await db.end();
    }
  });
});
