import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addLayer, errorCode, graphql, makeDesign, makeUser, ok, sampleOf, scrape } from './helpers';

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

  test("each worker process serves its own /metrics (WORKER_METRICS_PORT), with Node's defaults", async () => {
    const text = await scrape(process.env.TEST_WORKER_METRICS_URL!);
    assert.ok((sampleOf(text, 'process_resident_memory_bytes') ?? 0) > 0);
    assert.match(text, /^# TYPE design_sql_statements_total counter$/m);
  });
});
