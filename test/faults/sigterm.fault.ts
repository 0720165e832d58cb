import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Client } from 'pg';
import { freePort } from '../../scripts/stack';
import { gql, graphql, makeUser, startDesignSubgraph, startWorkers, subscribe, type GraphQLResponse, type TestUser } from '../helpers';
import { caseEnv, figures, ownDatabase, send, sendGraphQL, sleep, spread, withScope, type Scope } from './harness';

const UPDATE = `mutation ($id: ID!, $name: String!) { updateDesign(id: $id, input: { name: $name }) { revision } }`;
const CREATE = graphql(`
  mutation ($input: CreateDesignInput!) {
    createDesign(input: $input) {
      id
    }
  }
`);
const CHANGED = graphql(`
  subscription ($d: ID!) {
    designChanged(designId: $d) {
      revision
    }
  }
`);

/** 16 aliases of a page of 100 designs, most with 5000-character descriptions: a 7 MB answer. */
const BIG_QUERY = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: designs(filter: { scope: MINE }, first: 100) { edges { node { description } } }`).join(' ')} }`;

async function makeDesigns(url: string, owner: TestUser, count: number, description = ''): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      gql(owner, CREATE, { input: { name: `Design ${i + j}`, description: description || null } }, url),
    );
    for (const result of await Promise.all(batch)) ids.push(result.data!.createDesign.id);
  }
  return ids;
}

/** A client that reads the first bytes of its answer, then nothing until told to go on: a slow mobile reader. */
function slowReader(url: string, token: string, query: string) {
  let goOn: () => void = () => undefined;
  const resumed = new Promise<void>((resolve) => (goOn = resolve));
  let firstBytes: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstBytes = resolve));
  const body = new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.once('data', () => {
          res.pause();
          firstBytes();
          void resumed.then(() => res.resume());
        });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
  return { started, resume: () => goOn(), body };
}

const closeCode = (ended: { error?: unknown }) => (ended.error as { code?: number } | undefined)?.code;

const EXPORT_VIDEO = graphql(`
  mutation ($d: ID!) {
    exportDesign(designId: $d, input: { type: VIDEO, format: MP4, video: { width: 320, height: 240, fps: 10, durationSeconds: 4 } }) {
      id
    }
  }
`);

/** An export's row, read straight from the case's database. */
async function exportRow(databaseUrl: string, id: string): Promise<{ status: string; error: string | null; progress: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query('SELECT status, error, progress FROM exports WHERE id = $1', [id])).rows[0];
  } finally {
    await db.end();
  }
}

/** The development gateway (dist/scripts/gateway.js) in front of one design subgraph; ready once it answers. */
async function startGateway(scope: Scope, env: Record<string, string>, designUrl: string) {
  const port = await freePort();
  const nowhere = env.CATALOG_SUBGRAPH_URL!;
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'gateway.js')], {
    env: {
      ...process.env,
      ...env,
      GATEWAY_PORT: String(port),
      DESIGN_URL: designUrl,
      AVATAR_URL: nowhere,
      CATALOG_URL: nowhere,
      USERS_URL: nowhere,
    },
    stdio: 'ignore',
  });
  scope.defer('stop the gateway', () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 200; i++) {
    const up = await send(`${url}?query=%7B__typename%7D`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (up) return { url, process: child };
    await sleep(100);
  }
  throw new Error('the gateway did not start');
}

describe('SIGTERM under load', () => {
  test('the subgraph: /ready 503 at once, requests in flight (a 7 MB answer read slowly) complete, subscriptions end with 1001, exit 0 within the timeout', async (t) => {
    await withScope(async (scope) => {
      const env = await caseEnv(
        scope,
        { databaseUrl: await ownDatabase(scope) },
        { SHUTDOWN_TIMEOUT_MS: '10000', SHUTDOWN_DRAIN_DELAY_MS: '1000' },
      );
      const subgraph = await startDesignSubgraph(env);
      scope.defer('stop the subgraph', () => subgraph.stop());
      const root = subgraph.url.replace(/\/graphql$/, '');
      const owner = await makeUser('enterprise');
      await makeDesigns(subgraph.url, owner, 100, 'd'.repeat(5000));
      const edited = await makeDesigns(subgraph.url, owner, 10);

      const subscriptions = edited.slice(0, 3).map((d) => subscribe(subgraph.url, owner, CHANGED, { d }));
      await sleep(300);
      const big = slowReader(subgraph.url, owner.token, BIG_QUERY);
      await big.started;

      // Ten clients behind a load balancer that stops sending 300 ms after the first 503 from /ready.
      let sigtermAt = 0;
      let balancerLeft = false;
      const answers: { at: number; ms: number; ok: boolean; why?: string }[] = [];
      const clients = edited.map(async (id, client) => {
        for (let n = 0; !balancerLeft; n++) {
          const at = performance.now();
          try {
            const answer = await sendGraphQL(subgraph.url, owner.token, UPDATE, { id, name: `client ${client} edit ${n}` });
            const result = JSON.parse(answer.body) as GraphQLResponse<{ updateDesign: { revision: number } }>;
            answers.push({ at, ms: answer.ms, ok: answer.status === 200 && !result.errors, why: answer.body.slice(0, 200) });
          } catch (error) {
            answers.push({ at, ms: performance.now() - at, ok: false, why: (error as Error).message });
          }
        }
      });
      const probes: { at: number; ready: number; health: number }[] = [];
      const prober = (async () => {
        while (!balancerLeft) {
          const at = performance.now();
          const [ready, health] = await Promise.all([send(`${root}/ready`), send(`${root}/health`)]);
          probes.push({ at, ready: ready.status, health: health.status });
          if (ready.status === 503) void sleep(300).then(() => (balancerLeft = true));
          await sleep(25);
        }
      })();
      await sleep(1000);

      const exited = new Promise<number | null>((resolve) => subgraph.process.once('exit', (code) => resolve(code)));
      sigtermAt = performance.now();
      subgraph.process.kill('SIGTERM');
      await Promise.all([...clients, prober]);
      // Read on well after the server stopped listening.
      await sleep(1500);
      big.resume();
      const [code, body, ends] = await Promise.all([exited, big.body, Promise.all(subscriptions.map((s) => s.ended))]);
      const exitMs = Math.round(performance.now() - sigtermAt);

      const firstNotReady = probes.find((p) => p.at >= sigtermAt && p.ready === 503);
      const afterSigterm = answers.filter((a) => a.at >= sigtermAt);
      const failed = answers.filter((a) => !a.ok);
      const bigAnswer = JSON.parse(body) as GraphQLResponse<Record<string, { edges: unknown[] }>>;
      figures(t, 'sigterm', {
        requests: answers.length,
        startedAfterSigterm: afterSigterm.length,
        failed: failed.length,
        latencyMs: spread(answers.map((a) => a.ms)),
        readyWentTo503AfterMs: firstNotReady ? Math.round(firstNotReady.at - sigtermAt) : 'never',
        bigAnswerBytes: body.length,
        closeCodes: ends.map(closeCode),
        exitCode: code,
        exitMs,
      });
      assert.deepEqual(failed, [], 'every request sent was answered in full');
      assert.ok(
        afterSigterm.some((a) => a.ok),
        'requests sent during the drain delay are served',
      );
      assert.ok(firstNotReady && firstNotReady.at - sigtermAt < 150, '/ready answers 503 as soon as draining starts');
      assert.ok(
        probes.filter((p) => p.at >= sigtermAt).every((p) => p.health === 200),
        '/health answers while draining',
      );
      assert.equal(bigAnswer.errors, undefined);
      assert.equal(Object.keys(bigAnswer.data!).length, 16);
      assert.ok(Object.values(bigAnswer.data!).every((page) => page.edges.length === 100));
      assert.ok(body.length > 7_000_000, 'the whole 7 MB answer arrived');
      assert.deepEqual(ends.map(closeCode), [1001, 1001, 1001], 'subscriptions end with 1001 Going Away');
      assert.equal(code, 0);
      assert.ok(exitMs < 10_000, 'within SHUTDOWN_TIMEOUT_MS');
    });
  });

  test('the workers: SIGTERM lets the running export finish, then exit 0; Ctrl-C (SIGINT to the process group, ffmpeg too) exits 0 without an unhandled rejection', async (t) => {
    await withScope(async (scope) => {
      const databaseUrl = await ownDatabase(scope);
      const env = await caseEnv(scope, { databaseUrl });
      const subgraph = await startDesignSubgraph(env);
      scope.defer('stop the subgraph', () => subgraph.stop());
      const owner = await makeUser();
      const [design] = await makeDesigns(subgraph.url, owner, 1);

      const exportWhileRunning = async (signal: (pid: number) => void) => {
        const workers = await startWorkers(env);
        scope.defer('stop the workers', () => workers.kill('SIGKILL'));
        const id = (await gql(owner, EXPORT_VIDEO, { d: design }, subgraph.url)).data!.exportDesign.id;
        for (let i = 0; i < 200 && (await exportRow(databaseUrl, id)).status !== 'PROCESSING'; i++) await sleep(25);
        const signalledAt = performance.now();
        const at = await exportRow(databaseUrl, id);
        signal(workers.pid);
        const { code } = await workers.exited;
        return { workers, code, ms: Math.round(performance.now() - signalledAt), at, after: await exportRow(databaseUrl, id) };
      };
      const terminated = await exportWhileRunning((pid) => process.kill(pid, 'SIGTERM'));
      // A terminal's Ctrl-C reaches the whole process group.
      const interrupted = await exportWhileRunning((pid) => process.kill(-pid, 'SIGINT'));
      figures(t, 'sigterm-workers', {
        sigterm: {
          exitCode: terminated.code,
          exitMs: terminated.ms,
          progressAtSignal: terminated.at.progress,
          export: terminated.after.status,
        },
        ctrlC: {
          exitCode: interrupted.code,
          exitMs: interrupted.ms,
          export: interrupted.after.status,
          error: interrupted.after.error?.slice(0, 60),
        },
      });
      assert.equal(terminated.at.status, 'PROCESSING');
      assert.equal(terminated.code, 0);
      assert.equal(terminated.after.status, 'COMPLETED', 'the running export finished before the exit');
      assert.ok(terminated.ms < 10_000);
      assert.equal(interrupted.code, 0, interrupted.workers.output().slice(-2000));
      assert.ok(interrupted.ms < 10_000);
      assert.doesNotMatch(interrupted.workers.output(), /unhandled/i);
      assert.notEqual(
        interrupted.after.status,
        'PROCESSING',
        'not left running: its attempt failed (ffmpeg got the Ctrl-C too) or it finished',
      );
    });
  });

  test('the gateway: /readiness 503 at once, requests in flight complete, subscriptions end with 1001, exit 0', async (t) => {
    await withScope(async (scope) => {
      const env = await caseEnv(scope, { databaseUrl: await ownDatabase(scope) }, { SHUTDOWN_DRAIN_DELAY_MS: '1000' });
      const subgraph = await startDesignSubgraph(env);
      scope.defer('stop the subgraph', () => subgraph.stop());
      const gateway = await startGateway(scope, env, subgraph.url);
      const owner = await makeUser();
      const designs = await makeDesigns(subgraph.url, owner, 5);
      const live = subscribe(gateway.url, owner, CHANGED, { d: designs[0] });
      await sleep(500);

      let balancerLeft = false;
      const answers: { at: number; ok: boolean; why: string }[] = [];
      const clients = designs.map(async (id, client) => {
        for (let n = 0; !balancerLeft; n++) {
          const at = performance.now();
          try {
            const answer = await sendGraphQL(gateway.url, owner.token, UPDATE, { id, name: `client ${client} edit ${n}` });
            const result = JSON.parse(answer.body) as GraphQLResponse<{ updateDesign: { revision: number } }>;
            answers.push({ at, ok: answer.status === 200 && !result.errors, why: answer.body.slice(0, 200) });
          } catch (error) {
            answers.push({ at, ok: false, why: (error as Error).message });
          }
        }
      });
      let notReadyAfterMs: number | null = null;
      await sleep(500);
      const exited = new Promise<number | null>((resolve) => gateway.process.once('exit', (code) => resolve(code)));
      const sigtermAt = performance.now();
      gateway.process.kill('SIGTERM');
      while (notReadyAfterMs === null) {
        const ready = await send(gateway.url.replace(/\/graphql$/, '/readiness'));
        if (ready.status === 503) notReadyAfterMs = Math.round(performance.now() - sigtermAt);
        else await sleep(20);
      }
      await sleep(300);
      balancerLeft = true;
      await Promise.all(clients);
      const [code, ended] = await Promise.all([exited, live.ended]);
      const exitMs = Math.round(performance.now() - sigtermAt);
      const failed = answers.filter((a) => !a.ok);
      figures(t, 'sigterm-gateway', {
        requests: answers.length,
        startedAfterSigterm: answers.filter((a) => a.at >= sigtermAt).length,
        failed: failed.length,
        readinessWentTo503AfterMs: notReadyAfterMs,
        closeCode: closeCode(ended),
        exitCode: code,
        exitMs,
      });
      assert.deepEqual(failed, [], JSON.stringify(answers.slice(0, 3)));
      assert.ok(notReadyAfterMs < 150);
      assert.equal(closeCode(ended), 1001);
      assert.equal(code, 0);
      assert.ok(exitMs < 10_000);
    });
  });

  test('the subgraph: a request that never finishes (its body never sent in full) makes the shutdown exit 1 at SHUTDOWN_TIMEOUT_MS', async (t) => {
    await withScope(async (scope) => {
      const env = await caseEnv(scope, { databaseUrl: await ownDatabase(scope) }, { SHUTDOWN_TIMEOUT_MS: '1500' });
      const subgraph = await startDesignSubgraph(env);
      scope.defer('stop the subgraph', () => subgraph.stop());
      const { port } = new URL(subgraph.url);
      const stuck = connect(Number(port), '127.0.0.1');
      scope.defer('close the stuck socket', () => stuck.destroy());
      stuck.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
      await sleep(200);
      const exited = new Promise<number | null>((resolve) => subgraph.process.once('exit', (code) => resolve(code)));
      const sigtermAt = performance.now();
      subgraph.process.kill('SIGTERM');
      const code = await exited;
      const exitMs = Math.round(performance.now() - sigtermAt);
      figures(t, 'sigterm-forced', { exitCode: code, exitMs, timeoutMs: 1500 });
      assert.equal(code, 1, 'forced: not 0');
      assert.ok(exitMs >= 1400 && exitMs < 3000, 'at the timeout');
      assert.match(subgraph.output(), /shutdown took too long/);
    });
  });
});
