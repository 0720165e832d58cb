import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Client } from 'pg';
import { freePort } from '../../scripts/stack';
import { makeUser, startDesignSubgraph, type GraphQLResponse, type TestUser } from '../helpers';
import { caseEnv, figures, ownDatabase, sendGraphQL, sleep, withScope } from './harness';

const CLIENTS = 20;
const CREATE = `mutation ($input: CreateDesignInput!) { createDesign(input: $input) { id revision } }`;
const UPDATE = `mutation ($id: ID!, $name: String!) { updateDesign(id: $id, input: { name: $name }) { id revision } }`;

type Created = { createDesign: { id: string; revision: number } };
type Updated = { updateDesign: { id: string; revision: number } };

/**
 * A client that sends an operation until it is answered: a request the server never answered (it
 * died, or was not up yet) is sent again as it was, as a mobile client on a bad network would.
 */
async function untilAnswered<T>(url: string, user: TestUser, query: string, variables: Record<string, unknown>, tally: Tally) {
  for (;;) {
    try {
      const answer = await sendGraphQL(url, user.token, query, variables);
      return JSON.parse(answer.body) as GraphQLResponse<T>;
    } catch (error) {
      // Refused: it never reached the server. Anything else: cut in flight, perhaps after its commit.
      if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') tally.refused += 1;
      else tally.cut += 1;
      await sleep(50);
    }
  }
}

interface Tally {
  refused: number;
  cut: number;
}

test('SIGKILL during a write load of 20 clients, then a restart: every acknowledged mutation is in the database, revisions have no gap, retried client ids make no duplicate', async (t) => {
  await withScope(async (scope) => {
    const databaseUrl = await ownDatabase(scope);
    const env = await caseEnv(scope, { databaseUrl }, { PORT: String(await freePort()) });
    let subgraph = await startDesignSubgraph(env);
    scope.defer('stop the subgraph', () => subgraph.stop());
    const owner = await makeUser('enterprise');
    const tally: Tally = { refused: 0, cut: 0 };

    const designs = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const created = await untilAnswered<Created>(subgraph.url, owner, CREATE, { input: { name: `Client ${client}` } }, tally);
        return created.data!.createDesign.id;
      }),
    );
    const acknowledged = { creates: new Set<string>(), updates: [] as { id: string; revision: number }[] };
    const attemptedIds = new Set<string>(designs);
    let running = true;
    const clients = designs.map(async (design, client) => {
      for (let n = 0; running; n++) {
        if (n % 3 === 0) {
          // Created under an id of the client's own: sent again after a failure, it must not make a second design.
          const id = randomUUID();
          attemptedIds.add(id);
          const created = await untilAnswered<Created>(subgraph.url, owner, CREATE, { input: { id, name: `c${client} n${n}` } }, tally);
          assert.equal(created.errors, undefined, JSON.stringify(created.errors));
          assert.equal(created.data!.createDesign.id, id);
          acknowledged.creates.add(id);
        } else {
          const updated = await untilAnswered<Updated>(subgraph.url, owner, UPDATE, { id: design, name: `c${client} n${n}` }, tally);
          assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
          acknowledged.updates.push(updated.data!.updateDesign);
        }
      }
    });

    let beforeKill = 0;
    let restartMs = 0;
    try {
      await sleep(1500);
      beforeKill = acknowledged.creates.size + acknowledged.updates.length;
      const killedAt = performance.now();
      subgraph.process.kill('SIGKILL');
      await new Promise((resolve) => subgraph.process.once('exit', resolve));
      subgraph = await startDesignSubgraph(env);
      restartMs = Math.round(performance.now() - killedAt);
      await sleep(1500);
    } finally {
      running = false;
    }
    await Promise.all(clients);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const stored = new Set<string>(
        (await db.query<{ id: string }>('SELECT id FROM designs WHERE owner_id = $1', [owner.id])).rows.map((row) => row.id),
      );
      const missingCreates = [...acknowledged.creates].filter((id) => !stored.has(id));
      const strangers = [...stored].filter((id) => !attemptedIds.has(id));
      const { rows: histories } = await db.query<{ design_id: string; revision: number; revisions: number[] }>(
        `SELECT d.id AS design_id, d.revision, array_agg(h.revision ORDER BY h.revision) AS revisions
           FROM designs d JOIN design_history h ON h.design_id = d.id
          WHERE d.owner_id = $1 GROUP BY d.id, d.revision`,
        [owner.id],
      );
      const gaps = histories.filter((h) => h.revisions.join() !== Array.from({ length: h.revision }, (_, i) => i + 1).join());
      const recorded = new Set(histories.flatMap((h) => h.revisions.map((r) => `${h.design_id}@${r}`)));
      const missingUpdates = acknowledged.updates.filter((u) => !recorded.has(`${u.id}@${u.revision}`));
      figures(t, 'kill-restart', {
        clients: CLIENTS,
        acknowledgedBeforeKill: beforeKill,
        acknowledgedCreates: acknowledged.creates.size,
        acknowledgedUpdates: acknowledged.updates.length,
        requestsCutByTheKill: tally.cut,
        requestsRefusedWhileDown: tally.refused,
        killToReadyMs: restartMs,
        designsStored: stored.size,
        missingCreates: missingCreates.length,
        duplicates: strangers.length,
        missingUpdates: missingUpdates.length,
        designsWithRevisionGaps: gaps.length,
      });
      assert.ok(tally.cut > 0, 'requests were cut in flight by the kill, and sent again');
      assert.deepEqual(missingCreates, [], 'every acknowledged create is stored');
      assert.deepEqual(strangers, [], 'no design that no client id names: a retry made no duplicate');
      assert.deepEqual(missingUpdates, [], 'every acknowledged update is in the change log at the revision it answered');
      assert.deepEqual(gaps, [], 'every design has revisions 1..n in its change log, without a gap');
      assert.equal(histories.length, stored.size);
    } finally {
      await db.end();
    }
  });
});
