import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { AVATAR_MALE, gql, graphql, makeDesign, makeUser, pollUntil, startDesignSubgraph, startWorkers } from './helpers';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** An OTLP/HTTP (JSON) collector in this process: what the subgraph and the workers export. */
async function startCollector() {
  const spans: (OtlpSpan & { service: string })[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}') as {
        resourceSpans?: {
          resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
          scopeSpans?: { spans?: OtlpSpan[] }[];
        }[];
      };
      for (const resourceSpans of parsed.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans ?? []) for (const span of scope.spans ?? []) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((r) => server.close(r)) };
}

test("one trace from the gateway's traceparent through requestRender, its SQL and Redis, into the worker's job", async () => {
  const collector = await startCollector();
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    REDIS_PREFIX: `${process.env.REDIS_PREFIX}traces-${randomUUID().slice(0, 8)}:`,
  };
  const api = await startDesignSubgraph(env);
  const workers = await startWorkers(env);
  try {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE });
    const traceId = randomBytes(16).toString('hex');
    const requested = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${owner.token}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({
        query: 'mutation Snapshot($d: ID!) { requestRender(designId: $d, settings: { width: 24, height: 24 }) { id } }',
        variables: { d: id },
      }),
    });
    const renderId = ((await requested.json()) as { data: { requestRender: { id: string } } }).data.requestRender.id;
    const RENDER = graphql(`
      query ($id: ID!) {
        render(id: $id) {
          status
        }
      }
    `);
    const done = await pollUntil(
      async () => (await gql(owner, RENDER, { id: renderId }, api.url)).data?.render,
      (r) => r?.status === 'COMPLETED' || r?.status === 'FAILED',
      300,
    );
    assert.equal(done?.status, 'COMPLETED');

    const inTrace = await pollUntil(
      async () => collector.spans.filter((s) => s.traceId === traceId),
      (spans) => spans.some((s) => s.service === 'design-workers' && s.name === 'job render-design'),
      100,
    );
    const names = inTrace.map((s) => `${s.service}: ${s.name}`);
    assert.ok(
      inTrace.some((s) => s.service === 'design-subgraph' && s.name === 'mutation Snapshot'),
      names.join('\n'),
    );
    assert.ok(
      inTrace.some((s) => s.service === 'design-subgraph' && /^pg\./.test(s.name)),
      `SQL spans: ${names.join('\n')}`,
    );
    assert.ok(
      inTrace.some((s) => s.service === 'design-workers' && /^pg\./.test(s.name)),
      `the job's SQL: ${names.join('\n')}`,
    );
    assert.ok(
      inTrace.some((s) => /^(evalsha|hset|get|set|publish|multi|exec)/i.test(s.name)),
      `Redis spans: ${names.join('\n')}`,
    );
  } finally {
    await workers.kill('SIGTERM');
    await api.stop();
    await collector.close();
  }
});
