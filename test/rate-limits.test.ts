import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gql, makeUser, startDesignSubgraph, subscribe, type GraphQLError, type GraphQLResponse, type TestUser } from './helpers';

/** A Redis prefix of their own (under the run's, so the run still removes it): anonymous budgets are counted by address, and the stack's own tests share this one. */
const LOW_LIMITS = {
  REDIS_PREFIX: `${process.env.REDIS_PREFIX}rates:`,
  RATE_LIMIT_READS: '5',
  RATE_LIMIT_ANONYMOUS_READS: '3',
  RATE_LIMIT_MUTATIONS: '6',
  RATE_LIMIT_RENDERS_FREE: '2',
};

const CREATE = `mutation ($name: String!) { createDesign(input: { name: $name }) { id } }`;
const READ = `{ designs(filter: { scope: MINE }) { totalCount } }`;

type Post = { status: number; retryAfter: string | null; result: GraphQLResponse<{ designs?: { totalCount: number } }> };

async function post(url: string, user: TestUser | null, query: string, variables: Record<string, unknown> = {}): Promise<Post> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), result: (await response.json()) as Post['result'] };
}

describe('rate limits per caller, shared by replicas through Redis (RATE_LIMITED, 429, Retry-After)', () => {
  let replicas: Awaited<ReturnType<typeof startDesignSubgraph>>[] = [];
  before(async () => {
    replicas = await Promise.all([startDesignSubgraph(LOW_LIMITS), startDesignSubgraph(LOW_LIMITS)]);
  });
  after(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  test('reads past the budget are refused with retryAfterMs, on either replica; another user keeps theirs', async () => {
    const [a, b] = replicas.map((replica) => replica.url) as [string, string];
    const user = await makeUser();
    for (let i = 0; i < 3; i++) assert.equal((await post(a, user, READ)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await post(b, user, READ)).status, 200);
    const refused = await post(a, user, READ);
    assert.equal(refused.status, 429);
    const error = refused.result.errors![0]!;
    assert.equal(error.extensions?.code, 'RATE_LIMITED');
    assert.equal(error.extensions?.limit, 'RATE_LIMIT_READS');
    const retryAfterMs = error.extensions?.retryAfterMs as number;
    assert.ok(retryAfterMs > 0 && retryAfterMs <= 10_000, `retryAfterMs ${retryAfterMs}`);
    assert.equal(refused.retryAfter, String(Math.ceil(retryAfterMs / 1000)));
    assert.equal(refused.result.data, undefined);
    assert.equal((await post(a, await makeUser(), READ)).status, 200, 'budgets are per user');
  });

  test('mutations have their own budget, and a refused one writes nothing', async () => {
    const [a] = replicas.map((replica) => replica.url) as [string];
    const user = await makeUser();
    for (let i = 0; i < 6; i++) assert.equal((await post(a, user, CREATE, { name: `rate ${i}` })).result.errors, undefined);
    const refused = await post(a, user, CREATE, { name: 'one too many' });
    assert.equal(refused.result.errors![0]!.extensions?.code, 'RATE_LIMITED');
    const other = await makeUser();
    assert.equal((await post(a, other, CREATE, { name: 'mine' })).status, 200);
    // Reads are a budget of their own: the user can still see what was written, and nothing more.
    const designs = await post(a, user, READ);
    assert.equal(designs.result.data?.designs?.totalCount, 6);
  });

  test('renders and exports per minute by tier, on top of the mutation budget', async () => {
    const [a] = replicas.map((replica) => replica.url) as [string];
    const user = await makeUser('free');
    const created = await gql<{ createDesign: { id: string } }>(user, CREATE, { name: 'rendered' }, a);
    const render = `mutation ($d: ID!, $w: Int!) { requestRender(designId: $d, settings: { width: $w, height: 32 }) { id } }`;
    for (const width of [32, 33]) assert.equal((await post(a, user, render, { d: created.data!.createDesign.id, w: width })).status, 200);
    const refused = await post(a, user, render, { d: created.data!.createDesign.id, w: 34 });
    assert.equal(refused.result.errors![0]!.extensions?.code, 'RATE_LIMITED');
    assert.equal(refused.result.errors![0]!.extensions?.limit, 'RATE_LIMIT_RENDERS_FREE');
  });

  test('anonymous callers are counted by address, over HTTP and graphql-ws alike', async () => {
    const [, b] = replicas.map((replica) => replica.url) as [string, string];
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(b, null, '{ __typename }')).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    const live = subscribe(b, null, `subscription ($d: ID!) { designChanged(designId: $d) { revision } }`, {
      d: '00000000-0000-4000-8000-000000000000',
    });
    const { error } = await live.ended;
    assert.equal((error as GraphQLError[])[0]!.extensions?.code, 'RATE_LIMITED');
  });
});
