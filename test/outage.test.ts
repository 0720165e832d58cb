import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { ServiceTimeoutError } from '../src/async/within';
import { DesignError, ErrorCode, formatError } from '../src/errors/design-error';
import { freePort } from '../scripts/stack';
import { makeUser, pollUntil, startDesignSubgraph, type GraphQLResponse } from './helpers';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

/** What formatError makes of `error` thrown by a resolver, in production or in development. */
function formatted(error: Error, exposeInternals = false) {
  const raised = new GraphQLError(error.message, { originalError: error, path: ['design'] });
  return formatError(raised.toJSON(), raised, { exposeInternals, suggestions: false });
}

describe('PostgreSQL, Redis or an upstream away: a retryable SERVICE_UNAVAILABLE, not a bug', () => {
  test('connection-level failures of pg, pg-pool, ioredis and the queue map to SERVICE_UNAVAILABLE with retryable: true, without host or port in production', () => {
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:5491', 'ECONNREFUSED');
    const outages: Error[] = [
      refused,
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('connect ETIMEDOUT 10.0.0.5:5432', 'ETIMEDOUT'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout') }),
      new Error('timeout exceeded when trying to connect'),
      new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01')),
      new QueryFailedError('SELECT 1', [], withCode('the database system is starting up', '57P03')),
      new QueryFailedError('SELECT 1', [], withCode('connection failure', '08006')),
      withCode('sorry, too many clients already', '53300'),
      new AggregateError([refused, withCode('connect ECONNREFUSED ::1:5491', 'ECONNREFUSED')], 'connect failed'),
      Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }),
      new Error('Connection is closed.'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new ServiceTimeoutError('Redis did not take the render-design job within 2000 ms'),
    ];
    for (const error of outages) {
      const shown = formatted(error);
      assert.equal(shown.extensions?.code, 'SERVICE_UNAVAILABLE', error.message);
      assert.equal(shown.extensions?.retryable, true, error.message);
      assert.equal(shown.message, 'The service is unavailable for a moment; try again', error.message);
      assert.deepEqual(shown.path, ['design']);
    }
    assert.equal(
      formatted(refused, true).message,
      'The service is unavailable for a moment; try again (connect ECONNREFUSED 127.0.0.1:5491)',
    );
  });

  test('errors that are not outages keep their codes; only outage codes say retryable', () => {
    const unique = new QueryFailedError('INSERT', [], withCode('duplicate key value violates unique constraint', '23505'));
    assert.equal(formatted(unique).extensions?.code, 'INTERNAL_SERVER_ERROR');
    assert.equal(formatted(unique).extensions?.retryable, undefined);
    assert.equal(formatted(new TypeError("Cannot read properties of undefined (reading 'id')")).extensions?.code, 'INTERNAL_SERVER_ERROR');
    const upstream = formatted(
      new DesignError(ErrorCode.UpstreamUnavailable, 'The catalog subgraph is unavailable', { subgraph: 'catalog' }),
    );
    assert.deepEqual(upstream.extensions, { subgraph: 'catalog', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    assert.deepEqual(formatted(new DesignError(ErrorCode.Conflict, 'stale')).extensions, { code: 'CONFLICT' });
  });

  test('a subgraph whose PostgreSQL goes away answers HTTP 503 SERVICE_UNAVAILABLE at once, /ready 503, and recovers without a restart', async () => {
    // The test database behind a proxy the test can shut: PostgreSQL as seen from the subgraph.
    const target = new URL(process.env.DATABASE_URL!);
    const port = await freePort();
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    const listen = () => new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    await listen();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${port}`;
    const subgraph = await startDesignSubgraph({
      DATABASE_URL: viaProxy.toString(),
      NODE_ENV: 'production',
      FILE_URL_SECRET: 'f'.repeat(32),
    });
    const root = subgraph.url.replace(/\/graphql$/, '');
    const owner = await makeUser();
    const ask = async () => {
      const started = Date.now();
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ query: 'mutation { createDesign(input: { name: "During the outage" }) { id } }' }),
      });
      const body = (await response.json()) as GraphQLResponse<{ createDesign: { id: string } }>;
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: Date.now() - started };
    };
    try {
      assert.equal((await ask()).status, 200);
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;

      const failed = await ask();
      assert.equal(failed.status, 503);
      assert.equal(failed.retryAfter, '1');
      assert.equal(failed.body.data, null);
      assert.deepEqual(failed.body.errors?.[0]?.extensions, { code: 'SERVICE_UNAVAILABLE', retryable: true });
      assert.doesNotMatch(failed.body.errors![0]!.message, /127\.0\.0\.1|ECONNREFUSED/, 'no host or port in production');
      assert.ok(failed.ms < 1000, `fast: ${failed.ms} ms`);
      const ready = await fetch(`${root}/ready`);
      assert.equal(ready.status, 503);

      await listen();
      const recovered = await pollUntil(ask, (answer) => answer.status === 200, 50, 100);
      assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
      assert.ok(recovered.body.data?.createDesign.id);
      assert.equal((await fetch(`${root}/ready`)).status, 200);
    } finally {
      await subgraph.stop();
      proxy.close();
      for (const socket of sockets) socket.destroy();
    }
  });
});
