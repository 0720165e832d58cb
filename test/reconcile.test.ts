import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ExportFormat, ExportStatus, ExportType, type ExportEntity } from '../entities/export.entity';
import { RenderStatus, type RenderEntity } from '../entities/render.entity';
import { createServiceContext, inTransaction, type ServiceContext } from '../src/context';
import { DesignError, ErrorCode } from '../src/errors/design-error';
import { bullConnection, queueName } from '../src/jobs/bullmq-queue';
import { exportJobId, renderJobId } from '../src/jobs/job-ids';
import type { JobName, QueuedJob } from '../src/jobs/job-names';
import type { DesignEventMessage } from '../src/events/design-event';
import { createDesign } from '../src/services/designs/create-design';
import { exportDesign } from '../src/services/exports/export-commands';
import { MAX_REQUEUES } from '../src/services/recovery/lost-job';
import { RECONCILE_GRACE_MS, reconcileJobs } from '../src/services/recovery/reconcile-jobs';
import { requestRender } from '../src/services/renders/request-render';
import { jobRegistry } from '../workers/registry';
import { AVATAR_MALE, gql, makeDesign, makeUser, pollUntil, startDesignSubgraph, startWorkers, withDb, type TestUser } from './helpers';
import { asUser, inProcessApp, recordEvents } from './in-process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ownPrefix = (what: string) => `${process.env.REDIS_PREFIX}${what}-${randomUUID().slice(0, 8)}:`;

/**
 * What an emptied Redis does to one prefix, without touching the shared server's other keys: every
 * queue key of this prefix (jobs, schedulers, markers) goes. Returns the keys it deleted.
 */
async function loseQueueKeys(redis: Redis, prefix: string): Promise<string[]> {
  const deleted: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}bull:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    deleted.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/** Once the subgraph's enqueue after commit (which its answer does not wait for) has landed. */
async function onQueue(redis: Redis, prefix: string, jobs: [JobName, string][]): Promise<void> {
  const there = await pollUntil(
    () => Promise.all(jobs.map(([name, id]) => redis.exists(`${prefix}bull:${name}:${id}`))),
    (found) => found.every((n) => n === 1),
    50,
    50,
  );
  assert.deepEqual(
    there,
    jobs.map(() => 1),
    'the jobs are on the queue before Redis loses them',
  );
}

async function requeueCounts(table: 'renders' | 'exports', ids: string[]): Promise<number[]> {
  return withDb(async (db) => {
    const rows = await db.query<{ id: string; requeue_count: number }>(`SELECT id, requeue_count FROM ${table} WHERE id = ANY($1)`, [ids]);
    return ids.map((id) => rows.rows.find((r) => r.id === id)!.requeue_count);
  });
}

async function rowStates(table: 'renders' | 'exports', ids: string[]): Promise<{ status: string; error: string | null }[]> {
  return withDb(async (db) => {
    const rows = await db.query<{ id: string; status: string; error: string | null }>(
      `SELECT id, status, error FROM ${table} WHERE id = ANY($1)`,
      [ids],
    );
    return ids.map((id) => {
      const { status, error } = rows.rows.find((r) => r.id === id)!;
      return { status, error };
    });
  });
}

/**
 * The reconcile pass as a command, in this process, on queues of a Redis prefix of its own that no
 * worker reads: each loss and each pass is the test's. It passes `now` past the grace period instead
 * of waiting it out. Rows of other tests in flight are reconciled too (the pass reads the whole
 * database); the assertions look at this test's rows only.
 */
describe('reconcileJobs: renders and exports in flight against their jobs', () => {
  const prefix = ownPrefix('reconcile-command');
  const services = inProcessApp({ REDIS_PREFIX: prefix });
  const system = (): ServiceContext => createServiceContext(services.app(), null);
  const pastGrace = () => new Date(Date.now() + RECONCILE_GRACE_MS + 1000);
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(() => {
    redis.disconnect();
  });

  const find = (name: JobName, jobId: string): Promise<QueuedJob> => services.app().jobs.find(name, jobId);
  /** The jobs the commands enqueued after commit (which they do not wait for) are all on the queue. */
  async function queued(jobs: [JobName, string][]): Promise<void> {
    const states = await pollUntil(
      () => Promise.all(jobs.map(([name, id]) => find(name, id))),
      (all) => all.every((job) => job.state === 'pending'),
      50,
      50,
    );
    assert.deepEqual(
      states.map((s) => s.state),
      jobs.map(() => 'pending'),
      'every job is on the queue',
    );
  }

  const imageExport = (owner: ServiceContext, designId: string) =>
    exportDesign(owner, { designId, input: { type: ExportType.IMAGE, format: ExportFormat.PNG, image: { width: 32, height: 32 } } });

  async function renderAndExports(owner: ServiceContext, exports: number): Promise<{ render: RenderEntity; exported: ExportEntity[] }> {
    const design = await inTransaction(owner, (tx) => createDesign(tx, { name: 'Lost jobs' }));
    const render = await requestRender(owner, { designId: design.id, settings: { width: 40, height: 40 } });
    const exported: ExportEntity[] = [];
    for (let i = 0; i < exports; i++) exported.push(await imageExport(owner, design.id));
    await queued([
      ['render-design', renderJobId(render.id)],
      ...exported.map((e): [JobName, string] => ['export-design', exportJobId(e.id, 0)]),
    ]);
    return { render, exported };
  }

  test(
    'jobs Redis lost are queued again under their own ids; rows queued within the grace period are left alone',
    { timeout: 60_000 },
    async () => {
      const {
        render,
        exported: [exported],
      } = await renderAndExports(asUser(services.app()), 1);
      const jobs: [JobName, string][] = [
        ['render-design', renderJobId(render.id)],
        ['export-design', exportJobId(exported!.id, 0)],
      ];
      await loseQueueKeys(redis, prefix);
      assert.deepEqual(await find(...jobs[0]!), { state: 'missing' });

      await reconcileJobs(system(), { now: new Date() });
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(await Promise.all(jobs.map((j) => find(...j))), [{ state: 'missing' }, { state: 'missing' }], 'too young to touch');
      assert.deepEqual([...(await requeueCounts('renders', [render.id])), ...(await requeueCounts('exports', [exported!.id]))], [0, 0]);

      await reconcileJobs(system(), { now: pastGrace() });
      await queued(jobs);
      assert.deepEqual([...(await requeueCounts('renders', [render.id])), ...(await requeueCounts('exports', [exported!.id]))], [1, 1]);
      assert.deepEqual(
        [...(await rowStates('renders', [render.id])), ...(await rowStates('exports', [exported!.id]))],
        [
          { status: RenderStatus.QUEUED, error: null },
          { status: ExportStatus.QUEUED, error: null },
        ],
        'they keep their status: the job sets it when it starts',
      );

      await reconcileJobs(system(), { now: pastGrace() });
      assert.deepEqual(
        [...(await requeueCounts('renders', [render.id])), ...(await requeueCounts('exports', [exported!.id]))],
        [1, 1],
        'a job on the queue is left alone',
      );

      await loseQueueKeys(redis, prefix);
      await reconcileJobs(system(), { now: new Date() });
      assert.deepEqual(
        [...(await requeueCounts('renders', [render.id])), ...(await requeueCounts('exports', [exported!.id]))],
        [1, 1],
        'a requeue starts the grace period again: a pass right after it does not take a job still on its way for lost',
      );
    },
  );

  test('two passes at once count one loss once and queue one job', { timeout: 60_000 }, async () => {
    const {
      render,
      exported: [exported],
    } = await renderAndExports(asUser(services.app()), 1);
    await loseQueueKeys(redis, prefix);
    await Promise.all([reconcileJobs(system(), { now: pastGrace() }), reconcileJobs(system(), { now: pastGrace() })]);
    await queued([
      ['render-design', renderJobId(render.id)],
      ['export-design', exportJobId(exported!.id, 0)],
    ]);
    assert.deepEqual([...(await requeueCounts('renders', [render.id])), ...(await requeueCounts('exports', [exported!.id]))], [1, 1]);
  });

  test(
    `lost more than ${MAX_REQUEUES} times: FAILED with the reason and an event; the export limit has room again and an equal render request makes a new render`,
    { timeout: 90_000 },
    async () => {
      const owner = asUser(services.app(), 'free');
      const { render, exported } = await renderAndExports(owner, 3);
      await assert.rejects(
        imageExport(owner, render.designId),
        (e: unknown) => e instanceof DesignError && e.code === ErrorCode.LimitExceeded,
        'three exports in flight: a free user is at the limit',
      );
      const recorder = await recordEvents(services.app(), render.designId);
      try {
        const jobs: [JobName, string][] = [
          ['render-design', renderJobId(render.id)],
          ...exported.map((e): [JobName, string] => ['export-design', exportJobId(e.id, 0)]),
        ];
        for (let loss = 1; loss <= MAX_REQUEUES; loss++) {
          await loseQueueKeys(redis, prefix);
          await reconcileJobs(system(), { now: pastGrace() });
          await queued(jobs);
        }
        assert.deepEqual(
          await requeueCounts(
            'exports',
            exported.map((e) => e.id),
          ),
          [MAX_REQUEUES, MAX_REQUEUES, MAX_REQUEUES],
        );
        await loseQueueKeys(redis, prefix);
        await reconcileJobs(system(), { now: pastGrace() });
        const reason = `the job queue lost its job ${MAX_REQUEUES + 1} times`;
        assert.deepEqual(await rowStates('renders', [render.id]), [{ status: RenderStatus.FAILED, error: reason }]);
        assert.deepEqual(
          await rowStates(
            'exports',
            exported.map((e) => e.id),
          ),
          exported.map(() => ({ status: ExportStatus.FAILED, error: reason })),
        );
        const statusOf = (e: DesignEventMessage) =>
          e.type === 'RENDER_UPDATED' ? e.render.status : e.type === 'EXPORT_UPDATED' ? e.export.status : null;
        const failures = await pollUntil(
          async () => recorder.events.filter((e) => statusOf(e) === 'FAILED').map((e) => e.type),
          (types) => types.length >= 4,
        );
        assert.deepEqual(
          failures.sort(),
          ['EXPORT_UPDATED', 'EXPORT_UPDATED', 'EXPORT_UPDATED', 'RENDER_UPDATED'],
          'one event per failed row',
        );
      } finally {
        await recorder.stop();
      }
      const again = await requestRender(owner, { designId: render.designId, settings: { width: 40, height: 40 } });
      assert.notEqual(again.id, render.id, 'the failed render is not handed out again');
      assert.equal(again.status, RenderStatus.QUEUED);
      const fourth = await imageExport(owner, render.designId);
      assert.equal(fourth.status, ExportStatus.QUEUED, 'the failed exports no longer count against the limit');
    },
  );

  test('a job that failed for good while its row is still in flight fails the row with the job’s reason', { timeout: 60_000 }, async () => {
    const {
      render,
      exported: [exported],
    } = await renderAndExports(asUser(services.app()), 1);
    // Workers that fail every job at once, leaving the rows as they are: as if the handler died before its last word.
    const connection = bullConnection(REDIS_URL, 'worker');
    const failing = (['render-design', 'export-design'] as const).map(
      (name) =>
        new Worker(
          queueName(name),
          () => {
            throw new UnrecoverableError('the disk is full');
          },
          { connection, prefix: `${prefix}bull` },
        ),
    );
    try {
      const jobs: [JobName, string][] = [
        ['render-design', renderJobId(render.id)],
        ['export-design', exportJobId(exported!.id, 0)],
      ];
      const states = await pollUntil(
        () => Promise.all(jobs.map((j) => find(...j))),
        (all) => all.every((job) => job.state === 'ended'),
        100,
        50,
      );
      assert.deepEqual(states, [
        { state: 'ended', reason: 'the disk is full' },
        { state: 'ended', reason: 'the disk is full' },
      ]);
    } finally {
      await Promise.all(failing.map((w) => w.close()));
    }
    await reconcileJobs(system(), { now: pastGrace() });
    assert.deepEqual(
      [...(await rowStates('renders', [render.id])), ...(await rowStates('exports', [exported!.id]))],
      [
        { status: RenderStatus.FAILED, error: 'the disk is full' },
        { status: ExportStatus.FAILED, error: 'the disk is full' },
      ],
    );
  });
});

const EXPORT = `mutation($d: ID!) { exportDesign(designId: $d, input: { type: IMAGE, format: PNG, image: { width: 32, height: 32 } }) { id status } }`;
const RENDER = `mutation($d: ID!) { requestRender(designId: $d, settings: { width: 32, height: 32 }) { id status } }`;
const EXPORT_STATE = `query($id: ID!) { export(id: $id) { status error } }`;
const RENDER_STATE = `query($id: ID!) { render(id: $id) { status error } }`;

interface Outcome {
  status: string;
  error: string | null;
}

/**
 * The story with worker processes: a design subgraph and workers of this test's own (a
 * Redis prefix of their own, whose queue keys it deletes as an emptied Redis would).
 */
describe('workers after Redis lost its data', () => {
  const prefix = ownPrefix('reconcile-workers');
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  let redis: Redis;
  before(async () => {
    api = await startDesignSubgraph({ REDIS_PREFIX: prefix });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    redis.disconnect();
    await api.stop();
  });

  /** The data of a call to this test's subgraph that must succeed. */
  async function call<T>(user: TestUser, query: string, variables: Record<string, unknown>): Promise<T> {
    const result = await gql<T>(user, query, variables, api.url);
    if (result.errors?.length || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
  const exportOutcome = async (user: TestUser, id: string) => (await call<{ export: Outcome }>(user, EXPORT_STATE, { id })).export;
  const renderOutcome = async (user: TestUser, id: string) => (await call<{ render: Outcome }>(user, RENDER_STATE, { id })).render;
  const ended = (o: Outcome) => o.status === 'COMPLETED' || o.status === 'FAILED';

  test(
    'exports and a render queued while the workers were stopped, then Redis emptied: the workers started afterwards complete them, and the limit and the render cache work again',
    { timeout: 180_000 },
    async () => {
      const free = await makeUser('free');
      const { id } = await makeDesign(free, { avatarId: AVATAR_MALE });
      const exportIds: string[] = [];
      for (let i = 0; i < 3; i++) exportIds.push((await call<{ exportDesign: { id: string } }>(free, EXPORT, { d: id })).exportDesign.id);
      const render = (await call<{ requestRender: { id: string; status: string } }>(free, RENDER, { d: id })).requestRender;
      assert.equal((await gql(free, EXPORT, { d: id }, api.url)).errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
      const same = (await call<{ requestRender: { id: string; status: string } }>(free, RENDER, { d: id })).requestRender;
      assert.deepEqual(same, render, 'an equal request shares the render on its way');

      await onQueue(redis, prefix, [
        ['render-design', renderJobId(render.id)],
        ...exportIds.map((e): [JobName, string] => ['export-design', exportJobId(e, 0)]),
      ]);
      await loseQueueKeys(redis, prefix);
      // Queued a minute ago, as in the issue: past the grace period, so the pass at start takes them.
      await withDb(async (db) => {
        await db.query(`UPDATE exports SET queued_at = now() - interval '1 minute' WHERE id = ANY($1)`, [exportIds]);
        await db.query(`UPDATE renders SET queued_at = now() - interval '1 minute' WHERE id = $1`, [render.id]);
      });
      // No interval within the test: only the pass at start can bring them back.
      const workers = await startWorkers({ REDIS_PREFIX: prefix, RECONCILE_INTERVAL_MS: String(24 * 3600 * 1000) });
      try {
        const outcomes = await pollUntil(
          () => Promise.all([...exportIds.map((e) => exportOutcome(free, e)), renderOutcome(free, render.id)]),
          (all) => all.every(ended),
          240,
          500,
        );
        assert.deepEqual(
          outcomes,
          outcomes.map(() => ({ status: 'COMPLETED', error: null })),
          'every export and the render completed',
        );
        const fourth = await gql<{ exportDesign: { status: string } }>(free, EXPORT, { d: id }, api.url);
        assert.equal(fourth.data?.exportDesign.status, 'QUEUED', 'the limit has room again');
        const again = (await call<{ requestRender: { id: string; status: string } }>(free, RENDER, { d: id })).requestRender;
        assert.notEqual(again.id, render.id);
        assert.equal(again.status, 'COMPLETED', 'an equal request is a cache hit of the completed render');
      } finally {
        await workers.kill('SIGTERM');
      }
    },
  );

  test(
    'running workers bring back the job schedulers Redis lost, and queue again on their timer a job lost while they ran',
    { timeout: 120_000 },
    async () => {
      const owner = await makeUser();
      const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
      const exportId = (await call<{ exportDesign: { id: string } }>(owner, EXPORT, { d: id })).exportDesign.id;
      await onQueue(redis, prefix, [['export-design', exportJobId(exportId, 0)]]);
      await loseQueueKeys(redis, prefix);
      const scheduled = [...jobRegistry().values()].filter((handler) => handler.every).map((handler) => handler.name);
      const queues = scheduled.map(
        (name) => new Queue(queueName(name), { connection: bullConnection(REDIS_URL, 'producer'), prefix: `${prefix}bull` }),
      );
      const schedulers = async () => (await Promise.all(queues.map((q, i) => q.getJobScheduler(scheduled[i]!)))).map((s) => s?.key ?? null);
      const workers = await startWorkers({ REDIS_PREFIX: prefix, RECONCILE_INTERVAL_MS: '1000' });
      try {
        assert.deepEqual(await schedulers(), scheduled, 'made at start');
        // The export was queued just now: the pass at start leaves it; one of the timer's passes after the grace period takes it.
        const done = await pollUntil(() => exportOutcome(owner, exportId), ended, 120, 500);
        assert.deepEqual(done, { status: 'COMPLETED', error: null });

        const lost = await loseQueueKeys(redis, prefix);
        for (const name of scheduled)
          assert.ok(lost.includes(`${prefix}bull:${name}:repeat`), `the ${name} scheduler was there, and is gone`);
        const back = await pollUntil(schedulers, (keys) => keys.every((k) => k !== null), 50, 200);
        assert.deepEqual(back, scheduled, 'every scheduler is back without a restart');

        const later = (await call<{ exportDesign: { id: string } }>(owner, EXPORT, { d: id })).exportDesign.id;
        assert.deepEqual(await pollUntil(() => exportOutcome(owner, later), ended, 120, 500), { status: 'COMPLETED', error: null });
      } finally {
        await workers.kill('SIGTERM');
        await Promise.all(queues.map((q) => q.close()));
      }
    },
  );
});
