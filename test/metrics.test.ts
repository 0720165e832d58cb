import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addLayer,
  AVATAR_MALE,
  DESIGN_URL,
  exportEnded,
  exportSmallImage,
  errorCode,
  graphql,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  sampleOf,
  scrape,
} from './helpers';

const UPDATE = graphql(`
  mutation Recolour($id: ID!, $rev: Int) {
    updateLayer(id: $id, input: { opacity: 50 }, expectedRevision: $rev) {
      id
    }
  }
`);

describe('/metrics: the specification names, moved by a scripted session', () => {
  test('creating, editing, a conflict and timed operations move their metrics; process and queue gauges are there', async () => {
    const before = await scrape();
    const owner = await makeUser();
    const { id, revision } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    await ok(owner, UPDATE, { id: layer.id, rev: revision + 1 });
    assert.equal(await errorCode(owner, UPDATE, { id: layer.id, rev: revision }), 'CONFLICT');
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sampleOf(after, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
    assert.equal(moved('design_created_total'), 1);
    assert.equal(moved('design_layer_operations_total', { operation: 'add' }), 1);
    assert.equal(moved('design_layer_operations_total', { operation: 'update' }), 1);
    assert.equal(moved('collaboration_conflicts_total'), 1);
    assert.equal(moved('api_response_time_ms_count', { operation: 'Recolour', transport: 'http' }), 2);
    assert.ok(moved('api_response_time_ms_bucket', { operation: 'Recolour', transport: 'http', le: '+Inf' }) === 2);
    assert.ok(moved('design_graphql_errors_total') >= 1);

    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'memory_usage_mb',
    ]) {
      assert.ok((sampleOf(after, name) ?? 0) > 0, name);
    }
    for (const queue of ['render-design', 'export-design', 'autosave-design']) {
      assert.notEqual(sampleOf(after, 'render_queue_depth', { queue }), undefined, queue);
    }
    assert.match(after, /^# TYPE api_response_time_ms histogram$/m);
    const requests = (outcome: string) => sampleOf(after, 'design_cache_requests_total', { cache: 'upstream', outcome }) ?? 0;
    assert.equal(sampleOf(after, 'cache_hit_rate', { cache: 'upstream' }), requests('hit') / (requests('hit') + requests('miss')));
  });

  test('a subscription over graphql-ws, its token on the upgrade request as routers send it: connection, session, set-up time and editors are measured', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const before = await scrape();
    class WithAuthorization extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { authorization: `Bearer ${owner.token}` } });
      }
    }
    const client = createClient({ url: DESIGN_URL.replace(/^http/, 'ws'), webSocketImpl: WithAuthorization, retryAttempts: 0 });
    try {
      const events: unknown[] = [];
      const errors: unknown[] = [];
      client.subscribe(
        { query: 'subscription Watch($d: ID!) { designChanged(designId: $d) { type revision } }', variables: { d: id } },
        { next: (value) => void events.push(value), error: (error) => void errors.push(error), complete: () => undefined },
      );
      const during = await pollUntil(
        scrape,
        (text) => (sampleOf(text, 'api_response_time_ms_count', { operation: 'Watch', transport: 'ws' }) ?? 0) > 0,
      );
      await addLayer(owner, id);
      await pollUntil(
        async () => events.length,
        (n) => n > 0,
      );
      const moved = (name: string, labels: Record<string, string> = {}) =>
        (sampleOf(during, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
      assert.equal(moved('websocket_connections_total'), 1);
      assert.ok((sampleOf(during, 'websocket_connections_open') ?? 0) >= 1);
      assert.ok((sampleOf(during, 'design_active_sessions') ?? 0) >= 1);
      const after = await scrape();
      assert.ok(
        (sampleOf(after, 'concurrent_editors_per_design_count') ?? 0) > (sampleOf(before, 'concurrent_editors_per_design_count') ?? 0),
      );
      assert.deepEqual(errors, []);
      assert.ok(events.length >= 1);
    } finally {
      await client.dispose();
    }
  });

  test('operation names are labels only up to a bound: a client cannot grow the series without end', async () => {
    const owner = await makeUser();
    const names = Array.from({ length: 210 }, (_, i) => `Flood${i}`);
    for (const name of names) await ok(owner, `query ${name} { __typename }`);
    const text = await scrape();
    const labelled = names.filter((name) => sampleOf(text, 'api_response_time_ms_count', { operation: name }) !== undefined);
    assert.ok(labelled.length < names.length, `${labelled.length} of ${names.length} names became labels`);
    assert.ok((sampleOf(text, 'api_response_time_ms_count', { operation: 'other', transport: 'http' }) ?? 0) > 0);
  });

  test("each worker process serves its own /metrics: Node's defaults, BullMQ's queue metrics, job, export and frame times", async () => {
    const before = await scrape(process.env.TEST_WORKER_METRICS_URL!);
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    assert.equal(await exportEnded(owner, await exportSmallImage(owner, id)), 'COMPLETED');
    const after = await scrape(process.env.TEST_WORKER_METRICS_URL!);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sampleOf(after, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
    assert.ok((sampleOf(after, 'process_resident_memory_bytes') ?? 0) > 0);
    assert.equal(moved('export_duration_seconds_count', { type: 'IMAGE', format: 'PNG' }), 1);
    assert.ok(moved('render_frame_time_ms_count') >= 1);
    assert.ok(moved('design_job_duration_seconds_count', { job: 'export-design', outcome: 'completed' }) >= 1);
    assert.ok(moved('bullmq_job_completed_total', { queue: 'export-design' }) >= 1);
    assert.notEqual(sampleOf(after, 'bullmq_job_count', { queue: 'render-design', state: 'waiting' }), undefined);
    assert.equal(after.match(/^# TYPE bullmq_job_count gauge$/gm)?.length, 1, 'one TYPE line for all queues');
  });
});
