import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPrivatePostgres } from '../../scripts/embedded-postgres';
import { ensureDatabase, withDatabase } from '../../scripts/services';
import { freePort } from '../../scripts/stack';
import { gql, graphql, makeUser, startDesignSubgraph, type GraphQLResponse } from '../helpers';
import { caseEnv, countBy, figures, send, sendGraphQL, sleep, spread, withScope } from './harness';

const OUTAGE_MS = 10_000;
const CREATE = graphql(`
  mutation ($name: String!) {
    createDesign(input: { name: $name }) {
      id
    }
  }
`);
const UPDATE = `mutation ($id: ID!, $name: String!) { updateDesign(id: $id, input: { name: $name }) { revision } }`;
const READ = `query ($id: ID!) { design(id: $id) { name revision } }`;

interface Outcome {
  client: number;
  at: number;
  ms: number;
  status: number;
  code: string;
  retryable: boolean;
  message: string;
}

test('PostgreSQL stopped for 10 s under load: fast retryable SERVICE_UNAVAILABLE (HTTP 503), /ready 503, /health 200, recovery without a restart', async (t) => {
  await withScope(async (scope) => {
    const postgres = await startPrivatePostgres(await freePort(), (line) => t.diagnostic(line));
    scope.defer('remove the private PostgreSQL', () => postgres.remove());
    const databaseUrl = withDatabase(postgres.url, 'design');
    await ensureDatabase(databaseUrl);
    // Production: what a client sees there, with no host or port in the messages.
    const env = await caseEnv(
      scope,
      { databaseUrl },
      { NODE_ENV: 'production', MIGRATE_ON_START: 'true', FILE_URL_SECRET: 'f'.repeat(32) },
    );
    const subgraph = await startDesignSubgraph(env);
    scope.defer('stop the subgraph', () => subgraph.stop());
    const root = subgraph.url.replace(/\/graphql$/, '');
    const owner = await makeUser();
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await gql(owner, CREATE, { name: `Design ${i}` }, subgraph.url)).data!.createDesign.id),
    );

    let running = true;
    const outcomes: Outcome[] = [];
    const clients = ids.map(async (id, client) => {
      for (let n = 0; running; n++) {
        const at = performance.now();
        const [query, variables] = n % 2 ? [READ, { id }] : [UPDATE, { id, name: `client ${client} edit ${n}` }];
        try {
          const answer = await sendGraphQL(subgraph.url, owner.token, query, variables);
          const error = (JSON.parse(answer.body) as GraphQLResponse<unknown>).errors?.[0];
          outcomes.push({
            client,
            at,
            ms: answer.ms,
            status: answer.status,
            code: error?.extensions?.code ?? 'OK',
            retryable: error?.extensions?.retryable === true,
            message: error?.message ?? '',
          });
        } catch (error) {
          outcomes.push({
            client,
            at,
            ms: performance.now() - at,
            status: 0,
            code: 'NETWORK',
            retryable: false,
            message: (error as Error).message,
          });
        }
        await sleep(20);
      }
    });
    const probes: { at: number; ready: number; health: number; healthMs: number }[] = [];
    const prober = (async () => {
      while (running) {
        const at = performance.now();
        const [ready, health] = await Promise.all([send(`${root}/ready`), send(`${root}/health`)]);
        probes.push({ at, ready: ready.status, health: health.status, healthMs: health.ms });
        await sleep(100);
      }
    })();

    await sleep(1000);
    const stoppedAt = performance.now();
    await postgres.stop();
    await sleep(OUTAGE_MS);
    const restartedAt = performance.now();
    await postgres.start();
    const startedAt = performance.now();
    // Until every client has had an answer after the restart, and a second more.
    const recovered = () => ids.every((_, client) => outcomes.some((o) => o.client === client && o.at > startedAt && o.code === 'OK'));
    for (let i = 0; i < 100 && !recovered(); i++) await sleep(100);
    await sleep(1000);
    running = false;
    await Promise.all([...clients, prober]);

    // Requests sent while PostgreSQL was down (from a moment after the stop, so that the stop itself is done).
    const down = outcomes.filter((o) => o.at > stoppedAt + 200 && o.at + o.ms < restartedAt);
    const wrong = down.filter((o) => o.status !== 503 || o.code !== 'SERVICE_UNAVAILABLE' || !o.retryable);
    const firstOk = outcomes.find((o) => o.at >= startedAt && o.code === 'OK');
    const after = outcomes.filter((o) => o.at >= startedAt + 1000);
    const readyDown = probes.filter((p) => p.at > stoppedAt + 500 && p.at < restartedAt);
    figures(t, 'postgres-stop', {
      outageMs: Math.round(restartedAt - stoppedAt),
      requestsDuringOutage: down.length,
      codesDuringOutage: countBy(down.map((o) => `${o.status} ${o.code}`)),
      latencyDuringOutageMs: spread(down.map((o) => o.ms)),
      readyDuringOutage: countBy(readyDown.map((p) => String(p.ready))),
      healthMs: spread(probes.map((p) => p.healthMs)),
      postgresStartMs: Math.round(startedAt - restartedAt),
      firstSuccessAfterStartMs: firstOk ? Math.round(firstOk.at + firstOk.ms - startedAt) : 'never',
      failuresAfterRecovery: after.filter((o) => o.code !== 'OK').length,
      subgraphPid: subgraph.process.pid,
      subgraphExitCode: subgraph.process.exitCode,
    });
    assert.ok(down.length > 50, 'the load went on during the outage');
    assert.deepEqual(wrong.slice(0, 3), [], 'every request during the outage: HTTP 503, SERVICE_UNAVAILABLE, retryable');
    assert.ok(
      down.every((o) => !/127\.0\.0\.1|ECONN|:\d+/.test(o.message)),
      'no host or port in production messages',
    );
    assert.ok(spread(down.map((o) => o.ms)).p95 < 1000, 'failures are fast');
    assert.ok(readyDown.length > 0 && readyDown.every((p) => p.ready === 503), '/ready answers 503 while PostgreSQL is down');
    assert.ok(
      probes.every((p) => p.health === 200),
      '/health answers throughout',
    );
    assert.equal(subgraph.process.exitCode, null, 'the same process');
    assert.ok(firstOk && firstOk.at + firstOk.ms - startedAt < 5000, 'recovered within 5 s of PostgreSQL being back');
    assert.deepEqual(after.filter((o) => o.code !== 'OK').slice(0, 3), [], 'all good a second after PostgreSQL is back');
  });
});
