import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeUser, startDesignSubgraph } from './helpers';

describe('logs: request ids, access lines, no secrets', () => {
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    api = await startDesignSubgraph({ LOG_LEVEL: 'info' });
  });
  after(async () => {
    await api.stop();
  });

  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const lines = () =>
    api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  test("every request answers its id (the caller's, the trace's, or a new one) and logs an access line with it and the operation", async () => {
    const owner = await makeUser();
    const given = await post(
      { authorization: `Bearer ${owner.token}`, 'x-request-id': 'req-logs-1' },
      { query: 'mutation MakeOne { createDesign(input: { name: "Logged" }) { id } }' },
    );
    assert.equal(given.status, 200);
    assert.equal(given.headers.get('x-request-id'), 'req-logs-1');
    const traced = await post({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, { query: '{ __typename }' });
    assert.equal(traced.headers.get('x-request-id'), '4bf92f3577b34da6a3ce929d0e0e4736');
    const forged = await post({ 'x-request-id': 'a "forged" id, with spaces' }, { query: '{ __typename }' });
    assert.match(forged.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

    const access = await (async () => {
      for (let i = 0; i < 50; i++) {
        const found = lines().find((l) => l.msg === 'request' && l.requestId === 'req-logs-1');
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    })();
    assert.ok(access, api.output());
    assert.equal(access.operation, 'MakeOne');
    assert.equal(access.status, 200);
    assert.equal(access.path, '/graphql');
    assert.equal(typeof access.ms, 'number');
  });

  test('tokens never reach the log, valid or not', async () => {
    const owner = await makeUser();
    await post({ authorization: `Bearer ${owner.token}` }, { query: '{ designs { totalCount } }' });
    await post({ authorization: 'Bearer not.a-valid.token-4f1c9e' }, { query: '{ designs { totalCount } }' });
    await new Promise((r) => setTimeout(r, 200));
    const output = api.output();
    assert.ok(output.includes('"msg":"request"'), 'the requests were logged');
    assert.ok(!output.includes(owner.token), 'a valid token was logged');
    assert.ok(!output.includes('not.a-valid.token-4f1c9e'), 'an invalid token was logged');
  });
});
