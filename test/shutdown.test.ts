import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gql, graphql, makeDesign, makeUser, pollUntil, startDesignSubgraph, subscribe } from './helpers';

const CHANGED = graphql(`
  subscription ($d: ID!) {
    designChanged(designId: $d) {
      revision
    }
  }
`);
const DESIGN = graphql(`
  query ($id: ID!) {
    design(id: $id) {
      name
    }
  }
`);

describe('SIGTERM (issue 11, defect 4)', () => {
  test('/ready answers 503 from the signal on while requests are still served for SHUTDOWN_DRAIN_DELAY_MS; subscriptions end with 1001; the process exits 0', async () => {
    const subgraph = await startDesignSubgraph({ SHUTDOWN_DRAIN_DELAY_MS: '1500' });
    const root = subgraph.url.replace(/\/graphql$/, '');
    try {
      const owner = await makeUser();
      const { id } = await makeDesign(owner);
      const live = subscribe(subgraph.url, owner, CHANGED, { d: id });
      assert.equal((await fetch(`${root}/ready`)).status, 200);
      const exited = new Promise<number | null>((resolve) => subgraph.process.once('exit', (code) => resolve(code)));
      const signalled = Date.now();
      subgraph.process.kill('SIGTERM');

      const ready = await pollUntil(
        () => fetch(`${root}/ready`),
        (response) => response.status === 503,
        40,
        25,
      );
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), { status: 'draining' });
      assert.ok(Date.now() - signalled < 1000, 'at once, well within the drain delay');
      assert.equal((await fetch(`${root}/health`)).status, 200);
      const read = await gql(owner, DESIGN, { id }, subgraph.url);
      assert.equal(read.errors, undefined, 'still served while the load balancer takes it out');

      const ended = await live.ended;
      assert.equal((ended.error as { code?: number } | undefined)?.code, 1001, 'Going Away');
      assert.equal(await exited, 0);
      assert.ok(Date.now() - signalled >= 1500, 'not before the drain delay');
    } finally {
      await subgraph.stop();
    }
  });
});
