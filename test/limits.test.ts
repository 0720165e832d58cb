import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_SECRET_HEADER } from '../src/http/gateway-only';
import {
  DESIGN_URL,
  gql,
  makeDesign,
  makeUser,
  ROOT_URL,
  startDesignSubgraph,
  subscribe,
  type GraphQLError,
  type GraphQLResponse,
} from './helpers';

describe('limits on what one client may send', () => {
  test('a graphql-ws message over 1 MiB closes the socket (1009) instead of being read into memory; the service keeps answering', async () => {
    const socket = new WebSocket(DESIGN_URL.replace(/^http/, 'ws'), 'graphql-transport-ws');
    try {
      await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      await new Promise<void>((resolve) => socket.once('message', () => resolve()));
      const padding = ' '.repeat(2 * 1024 * 1024);
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription {${padding} __typename }` } }));
      assert.equal(await closed, 1009);
      const health = await fetch(`${ROOT_URL}/health`);
      assert.equal(health.status, 200);
    } finally {
      socket.terminate();
    }
  });
});

/** A studio's read of a whole design: every layer field, groups, canvas, collaborators. */
const STUDIO_QUERY = `query ($id: ID!) {
  design(id: $id) {
    id name revision visibility status tags
    layers {
      id type name order visible locked blendMode opacity notes createdAt updatedAt
      catalogItem { id }
      transform { position { x y z } rotation { x y z } scale { x y z } }
      customization { color material { id } textureScale roughness metalness extra }
      group { id }
    }
    layerGroups { id name visible locked layers { id } }
    canvas { showGrid showGuides snapToGrid gridSize renderQuality antialiasing shadows ambientOcclusion }
    collaborators { role addedAt user { id } }
  }
}`;

/** A design's layers, each back to its design and on, 13 levels deep: a minute of work before there were limits. */
const NESTED_QUERY = `query ($id: ID!) { design(id: $id) { layers { design { layers { design { layers { design { layers { design { layers { design { layers { design { id } } } } } } } } } } } } } }`;

type Refusal = { code?: string; limit?: string; max?: number; found?: number };
const refusalOf = (result: GraphQLResponse<unknown>): Refusal => ({ ...(result.errors?.[0]?.extensions as Refusal) });

describe('operation limits (depth, aliases, directives, tokens, cost) over HTTP and graphql-ws', () => {
  test('a studio reading a whole design, and the queries of this repository, stay inside the limits', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const read = await gql(owner, STUDIO_QUERY, { id });
    assert.equal(read.errors, undefined, JSON.stringify(read.errors));
  });

  test('too deep, too many aliases, directives or tokens, or too costly: QUERY_TOO_COMPLEX naming the limit, at once, HTTP 400', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'PUBLIC' });
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: designs(first: 1) { totalCount }`).join(' ');
    const directives = Array.from({ length: 21 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ');
    const tokens = `{ ${Array.from({ length: 3100 }, () => '__typename').join(' ')} }`;
    const costly = `{ designs(first: 100) { edges { node { layers { id name opacity order } layerGroups { id layers { id } } } } } }`;
    const cases: [string, string, Record<string, unknown>, Refusal][] = [
      ['depth', NESTED_QUERY, { id }, { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, found: 14 }],
      ['aliases', `{ ${aliases} }`, {}, { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, found: 31 }],
      ['directives', `{ ${directives} }`, {}, { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 20, found: 21 }],
      ['tokens', tokens, {}, { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 3000 }],
    ];
    for (const [name, query, variables, expected] of cases) {
      const started = Date.now();
      const response = await fetch(DESIGN_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as GraphQLResponse<unknown>;
      assert.deepEqual(refusalOf(result), expected, name);
      assert.equal(response.status, 400, name);
      assert.equal(result.data, undefined, `${name}: nothing ran`);
      assert.ok(Date.now() - started < 2000, `${name}: refused before it ran`);
    }
    const cost = refusalOf(await gql(owner, costly));
    assert.deepEqual([cost.code, cost.limit, cost.max], ['QUERY_TOO_COMPLEX', 'cost', 500_000]);
    assert.ok(cost.found! > 500_000);
    const paged = await gql(
      owner,
      `{ designs(first: 5) { edges { node { layers { id name opacity order } layerGroups { id layers { id } } } } } }`,
    );
    assert.equal(paged.errors, undefined, 'the same read of fewer designs costs less: first weighs the list');
  });

  test('the cost verdict follows the variables it depends on (first, @include), whatever else the variables hold', async () => {
    const owner = await makeUser();
    const query = `query ($n: Int!, $deep: Boolean!, $note: String) {
      designs(first: $n, filter: { search: $note }) { edges { node { layers { id name opacity order } layerGroups @include(if: $deep) { id layers { id } } } } }
    }`;
    const limit = async (variables: Record<string, unknown>) => {
      const result = await gql(owner, query, variables);
      return result.errors ? (refusalOf(result).limit ?? JSON.stringify(result.errors)) : 'none';
    };
    assert.equal(await limit({ n: 5, deep: true, note: 'a' }), 'none');
    assert.equal(await limit({ n: 100, deep: true, note: 'a' }), 'cost');
    assert.equal(await limit({ n: 100, deep: true, note: 'b' }), 'cost');
    assert.equal(await limit({ n: 100, deep: false, note: 'a' }), 'none');
    assert.equal(await limit({ n: 5, deep: true, note: 'b' }), 'none');
    // Variables that do not fit leave the verdict to execution, and are not remembered for the next request.
    assert.equal((await gql(owner, query, { n: 1000, deep: true, note: 7 })).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(await limit({ n: 1000, deep: true, note: 'c' }), 'cost');
  });

  test('over graphql-ws the same limits answer with the same codes', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'PUBLIC' });
    const deep = subscribe(DESIGN_URL, null, NESTED_QUERY, { id });
    const { error } = await deep.ended;
    assert.deepEqual(refusalOf({ errors: error as GraphQLError[] }), { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, found: 14 });
    const tokens = subscribe(DESIGN_URL, null, `subscription { ${'__typename '.repeat(3100)} }`);
    const ended = await tokens.ended;
    assert.equal(refusalOf({ errors: ended.error as GraphQLError[] }).limit, 'tokens');
  });

  test('a graphql-ws connection holds at most WS_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions (50): the next is LIMIT_EXCEEDED', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const client = createClient({
      url: DESIGN_URL.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner.token}` },
      retryAttempts: 0,
    });
    const stops: (() => void)[] = [];
    try {
      const subscribeOnce = () =>
        new Promise<unknown>((resolve) => {
          const stop = client.subscribe(
            { query: `subscription ($d: ID!) { designChanged(designId: $d) { revision } }`, variables: { d: id } },
            { next: () => undefined, error: resolve, complete: () => resolve(null) },
          );
          stops.push(stop);
          // Still open after a moment: held.
          setTimeout(() => resolve('open'), 300);
        });
      for (let i = 0; i < 50; i++) assert.equal(await subscribeOnce(), 'open', `subscription ${i + 1}`);
      const refused = (await subscribeOnce()) as GraphQLError[];
      assert.equal(refused[0]!.extensions?.code, 'LIMIT_EXCEEDED');
      assert.match(refused[0]!.message, /WS_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    } finally {
      stops.forEach((stop) => stop());
      await client.dispose();
    }
  });

  test('connections per user are limited (4429), and a socket that never sends connection_init is closed (4408)', async () => {
    const subgraph = await startDesignSubgraph({ WS_MAX_CONNECTIONS_PER_USER: '2', WS_CONNECTION_INIT_TIMEOUT_MS: '300' });
    const sockets: WebSocket[] = [];
    const user = await makeUser();
    try {
      const open = async (init: boolean) => {
        const socket = new WebSocket(subgraph.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));
        const closed = new Promise<[number, string]>((resolve) =>
          socket.once('close', (code, reason) => resolve([code, reason.toString()])),
        );
        if (!init) return { closed, acked: Promise.resolve(false) };
        const acked = new Promise<boolean>((resolve) => {
          socket.once('message', (data) => resolve(JSON.parse(data.toString()).type === 'connection_ack'));
          socket.once('close', () => resolve(false));
        });
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${user.token}` } }));
        return { closed, acked };
      };
      assert.equal(await (await open(true)).acked, true);
      assert.equal(await (await open(true)).acked, true);
      const third = await open(true);
      assert.equal(await third.acked, false);
      const [code, reason] = await third.closed;
      assert.equal(code, 4429);
      assert.match(reason, /WS_MAX_CONNECTIONS_PER_USER/);
      const silent = await open(false);
      assert.equal((await silent.closed)[0], 4408);
    } finally {
      sockets.forEach((socket) => socket.terminate());
      await subgraph.stop();
    }
  });
});

describe('production hides the schema and keeps the federation fields for the gateway', () => {
  test('no introspection, no "Did you mean", and _service/_entities only with x-gateway-secret', async () => {
    const secret = 'a-gateway-secret-for-this-test';
    const subgraph = await startDesignSubgraph({
      NODE_ENV: 'production',
      GATEWAY_SECRET: secret,
      JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters-for-this-test',
      FILE_URL_SECRET: 'a-file-url-secret-for-this-test',
    });
    try {
      const introspection = await gql(null, '{ __schema { types { name } } }', {}, subgraph.url);
      assert.equal(introspection.data, undefined);
      assert.match(introspection.errors![0]!.message, /introspection/i);
      const typo = await gql(null, '{ desgin(id: "x") { id } }', {}, subgraph.url);
      assert.equal(typo.errors![0]!.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.doesNotMatch(typo.errors![0]!.message, /Did you mean/);
      const service = '{ _service { sdl } }';
      const fragment = 'query { ...Q } fragment Q on Query { _service { sdl } }';
      for (const query of [service, fragment]) {
        const refused = await gql(null, query, {}, subgraph.url);
        assert.equal(refused.errors![0]!.extensions?.code, 'FORBIDDEN', query);
        const wrong = await gql(null, query, {}, subgraph.url, { [GATEWAY_SECRET_HEADER]: 'not-it' });
        assert.equal(wrong.errors![0]!.extensions?.code, 'FORBIDDEN', query);
      }
      const answered = await gql<{ _service: { sdl: string } }>(null, service, {}, subgraph.url, { [GATEWAY_SECRET_HEADER]: secret });
      assert.match(answered.data!._service.sdl, /type Design/);
    } finally {
      await subgraph.stop();
    }
  });
});
