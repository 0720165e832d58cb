import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import express from 'express';
import { createTokenVerifier } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { createLocalFileStorage } from '../src/files/local-file-storage';
import { GATEWAY_SECRET_HEADER } from '../src/http/gateway-only';
import { jsonErrors } from '../src/http/json-errors';
import {
  addLayer,
  DESIGN_URL,
  gql,
  graphql,
  makeDesign,
  makeUser,
  ok,
  ROOT_URL,
  withDb,
  type GraphQLError,
  type TestUser,
} from './helpers';

/** What a caller sees of a refusal: enough to compare two refusals for equality. */
const seen = (error: GraphQLError | undefined) => ({ message: error?.message, extensions: error?.extensions });

const DESIGN_STATE = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      revision
      layers {
        id
        name
      }
      layerGroups {
        id
      }
      versions {
        totalCount
      }
      exports {
        totalCount
      }
    }
  }
`);

const designCount = (owner: TestUser) =>
  withDb(async (db) => (await db.query('SELECT count(*)::int AS n FROM designs WHERE owner_id = $1', [owner.id])).rows[0].n as number);

describe('issue 11, defect 5: text only the database measured, cursors, representations', () => {
  test('over-long and blank names and messages are BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id, { name: 'Base' });
    const before = await ok(owner, DESIGN_STATE, { d: id });
    const designsBefore = await designCount(owner);

    const GROUP = graphql('mutation($d: ID!, $l: [ID!]!, $n: String) { groupLayers(designId: $d, layerIds: $l, name: $n) { id } }');
    const CHECKPOINT = graphql('mutation($d: ID!, $m: String) { createCheckpoint(designId: $d, message: $m) { number } }');
    const FORK = graphql('mutation($d: ID!, $n: String) { forkDesign(id: $d, name: $n) { id } }');
    const ADD = graphql('mutation($d: ID!, $i: AddLayerInput!) { addLayer(designId: $d, input: $i) { id } }');
    const UPDATE = graphql('mutation($l: ID!, $i: UpdateLayerInput!) { updateLayer(id: $l, input: $i) { id } }');
    const EXPORT = graphql('mutation($d: ID!, $i: ExportInput!) { exportDesign(designId: $d, input: $i) { id } }');
    const cases: [string, () => Promise<{ errors?: GraphQLError[] }>, string][] = [
      ['group name of 100 KB', () => gql(owner, GROUP, { d: id, l: [layer.id], n: 'g'.repeat(100_000) }), 'name'],
      ['blank group name', () => gql(owner, GROUP, { d: id, l: [layer.id], n: ' \t ' }), 'name'],
      ['checkpoint message of 900 KB', () => gql(owner, CHECKPOINT, { d: id, m: 'm'.repeat(900_000) }), 'message'],
      ['blank checkpoint message', () => gql(owner, CHECKPOINT, { d: id, m: '\n ' }), 'message'],
      ['fork name of 100 KB', () => gql(owner, FORK, { d: id, n: 'f'.repeat(100_000) }), 'name'],
      ['blank fork name', () => gql(owner, FORK, { d: id, n: '  ' }), 'name'],
      ['blank layer name on add', () => gql(owner, ADD, { d: id, i: { catalogItemId: 'item-silhouette-t-shirt', name: '   ' } }), 'name'],
      ['blank layer name on update', () => gql(owner, UPDATE, { l: layer.id, i: { name: ' ' } }), 'name'],
      [
        'tech pack notes over 5000 characters',
        () => gql(owner, EXPORT, { d: id, i: { type: 'TECHPACK', format: 'PDF', techpack: { notes: 'n'.repeat(5001) } } }),
        'techpack.notes',
      ],
    ];
    for (const [name, run, field] of cases) {
      const result = await run();
      assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${name}: ${JSON.stringify(result.errors).slice(0, 300)}`);
      assert.equal(result.errors?.[0]?.extensions?.field, field, name);
    }
    assert.deepEqual(await ok(owner, DESIGN_STATE, { d: id }), before);
    assert.equal(await designCount(owner), designsBefore);
  });

  test('a fork without a name of a design whose name has 200 characters gets a name that fits', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { name: `${'é'.repeat(199)}😀` });
    const FORK = graphql('mutation($d: ID!) { forkDesign(id: $d) { name } }');
    const { forkDesign } = await ok(owner, FORK, { d: id });
    assert.ok(forkDesign.name.endsWith(' (fork)'), forkDesign.name);
    assert.equal([...forkDesign.name].length, 200);
  });

  test('a crafted cursor is BAD_USER_INPUT naming `after`, on every connection', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const cursor = (...position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');
    const uuid = randomUUID();
    const time = '2026-01-15 10:20:30.123456+00';
    const DESIGNS = graphql('query($o: DesignOrder, $a: String) { designs(orderBy: $o, after: $a) { totalCount } }');
    const LISTS = graphql(`
      query ($d: ID!, $v: String, $h: String, $s: String, $e: String) {
        design(id: $d) {
          versions(after: $v) {
            totalCount
          }
          history(after: $h) {
            totalCount
          }
          autosaves(after: $s) {
            totalCount
          }
          exports(after: $e) {
            totalCount
          }
        }
      }
    `);
    const designCases: [string, string][] = [
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', 'yesterday', uuid)],
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', '2026-02-30 10:00:00+00', uuid)],
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', '5', uuid)],
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', uuid, uuid)],
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', time, 'not-a-uuid')],
      ['LAST_EDITED_DESC', cursor('designs:LAST_EDITED_DESC', time)],
      ['CREATED_DESC', cursor('designs:CREATED_DESC', '2026-01-15 25:00:00+00', uuid)],
      ['NAME_ASC', cursor('designs:NAME_ASC', 'a\u0000b', uuid)],
      ['MOST_FORKED', cursor('designs:MOST_FORKED', 'many', uuid)],
      ['MOST_FORKED', cursor('designs:MOST_FORKED', '99999999999', uuid)],
      ['MOST_FORKED', cursor('designs:MOST_FORKED', time, uuid)],
    ];
    for (const [order, after] of designCases) {
      const result = await gql(owner, DESIGNS, { o: order, a: after });
      assert.deepEqual(
        [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field],
        ['BAD_USER_INPUT', 'after'],
        `${order} ${Buffer.from(after, 'base64url').toString()}: ${JSON.stringify(result.errors)}`,
      );
    }
    const listCases: Record<string, string>[] = [
      { v: cursor(`versions:${id}`, 1e10) },
      { v: cursor(`versions:${id}`, -1) },
      { h: cursor(`history:${id}`, 2 ** 31) },
      { s: cursor(`autosaves:${id}`, 2 ** 40) },
      { s: cursor(`autosaves:${id}`, '3') },
      { e: cursor(`exports:${id}`, 'yesterday', uuid) },
      { e: cursor(`exports:${id}`, time, 'x') },
      { e: cursor(`exports:${id}`, 7, uuid) },
    ];
    for (const variables of listCases) {
      const result = await gql(owner, LISTS, { d: id, ...variables });
      assert.deepEqual(
        [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field],
        ['BAD_USER_INPUT', 'after'],
        `${JSON.stringify(variables)}: ${JSON.stringify(result.errors)}`,
      );
    }
    const page = await ok(owner, DESIGNS, { o: 'LAST_EDITED_DESC', a: cursor('designs:LAST_EDITED_DESC', time, uuid) });
    assert.equal(page.designs.totalCount, 1);
  });

  test('_entities with a representation that has no id, a non-string id or an unknown __typename is BAD_USER_INPUT', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const QUERY = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Design { id } } }';
    const asGateway = (r: unknown[]) => gql(owner, QUERY, { r }, DESIGN_URL, { [GATEWAY_SECRET_HEADER]: process.env.GATEWAY_SECRET! });
    const bad: unknown[][] = [
      [{ __typename: 'Design' }],
      [{ __typename: 'Design', id: 5 }],
      [{ __typename: 'Layer', id: null }],
      [
        { __typename: 'Design', id },
        { __typename: 'Export', id: { id } },
      ],
      [{ __typename: 'Nope', id }],
      [{ __typename: 'PageInfo', id }],
      [{ id }],
      ['Design'],
    ];
    for (const r of bad) {
      const result = await asGateway(r);
      assert.deepEqual(
        [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field],
        ['BAD_USER_INPUT', 'representations'],
        `${JSON.stringify(r)}: ${JSON.stringify(result.errors)}`,
      );
    }
    const good = await asGateway([{ __typename: 'Design', id }]);
    assert.deepEqual(good, { data: { _entities: [{ id }] } });
  });
});

describe('issue 11, defect 10: a client id says nothing about whose it is', () => {
  const CREATE = graphql('mutation($i: CreateDesignInput!) { createDesign(input: $i) { id name revision } }');

  test('createDesign: an id taken by anyone, readable or not, deleted or not, answers one CONFLICT; the same retry returns the original', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const ids = { private: randomUUID(), deleted: randomUUID(), published: randomUUID(), bobs: randomUUID() };
    const original = await ok(alice, CREATE, { i: { id: ids.private, name: 'Private' } });
    await ok(alice, CREATE, { i: { id: ids.deleted, name: 'Deleted' } });
    await ok(alice, graphql('mutation($d: ID!) { deleteDesign(id: $d) }'), { d: ids.deleted });
    await ok(alice, CREATE, { i: { id: ids.published, name: 'Published', visibility: 'PUBLIC' } });
    await ok(alice, graphql('mutation($d: ID!) { publishDesign(id: $d) { id } }'), { d: ids.published });
    await ok(bob, CREATE, { i: { id: ids.bobs, name: "Bob's" } });
    const bobsBefore = await designCount(bob);

    const refusals = [];
    for (const id of [ids.private, ids.deleted, ids.published, ids.bobs]) {
      refusals.push(seen((await gql(bob, CREATE, { i: { id, name: 'Mine now' } })).errors?.[0]));
    }
    assert.equal(refusals[0]!.extensions?.code, 'CONFLICT');
    assert.equal(refusals[0]!.extensions?.field, 'id');
    for (const refusal of refusals) assert.deepEqual(refusal, refusals[0]);
    assert.equal(await designCount(bob), bobsBefore);

    const retry = await ok(alice, CREATE, { i: { id: ids.private, name: 'Private' } });
    assert.deepEqual(retry, original);
  });

  test('addLayer: an id taken by a layer anywhere, or once used by a removed one, answers one CONFLICT; undo and retries still work', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const alices = (await makeDesign(alice)).id;
    const kept = await addLayer(alice, alices, { id: randomUUID(), name: 'Kept' });
    const removed = await addLayer(alice, alices, { id: randomUUID(), name: 'Removed' });
    await ok(alice, graphql('mutation($l: ID!) { removeLayer(id: $l) { revision } }'), { l: removed.id });
    const bobsOther = (await makeDesign(bob)).id;
    const bobsLayer = await addLayer(bob, bobsOther, { id: randomUUID() });
    const target = (await makeDesign(bob)).id;
    const targetBefore = await ok(bob, DESIGN_STATE, { d: target });

    const ADD = graphql('mutation($d: ID!, $i: AddLayerInput!) { addLayer(designId: $d, input: $i) { id name } }');
    const refusals = [];
    for (const id of [kept.id, removed.id, bobsLayer.id]) {
      const result = await gql(bob, ADD, { d: target, i: { id, catalogItemId: 'item-silhouette-t-shirt' } });
      refusals.push(seen(result.errors?.[0]));
    }
    assert.equal(refusals[0]!.extensions?.code, 'CONFLICT');
    assert.equal(refusals[0]!.extensions?.field, 'id');
    for (const refusal of refusals) assert.deepEqual(refusal, refusals[0]);
    assert.deepEqual(await ok(bob, DESIGN_STATE, { d: target }), targetBefore);

    await ok(alice, graphql('mutation($d: ID!) { undo(designId: $d) { revision } }'), { d: alices });
    const layers = (await ok(alice, DESIGN_STATE, { d: alices })).design!.layers;
    assert.deepEqual(
      layers.map((l) => l.id),
      [kept.id, removed.id],
    );
    const retry = await ok(alice, ADD, { d: alices, i: { id: kept.id, catalogItemId: 'item-silhouette-t-shirt', name: 'Kept' } });
    assert.deepEqual(retry.addLayer, { id: kept.id, name: 'Kept' });
  });
});

describe('issue 11, defect 12: tokens, body errors, /files', () => {
  test('a token without exp is UNAUTHENTICATED', async () => {
    const { SignJWT } = await import('jose');
    const forever = await new SignJWT({ tier: 'pro' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setIssuedAt()
      .sign(new TextEncoder().encode(process.env.JWT_SECRET!));
    const result = await gql(forever, graphql('{ designs(filter: { scope: MINE }) { totalCount } }'));
    assert.equal(result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(result.errors?.[0]?.message ?? '', /exp/);
  });

  test('tokens: exp is required, or with JWT_MAX_AGE_SECONDS an iat no older than that', async () => {
    const secret = 'a-secret-for-this-test-only-32-characters';
    const { SignJWT } = await import('jose');
    const sign = (claims: { iat?: number; exp?: string }) => {
      const jwt = new SignJWT({ tier: 'pro' }).setProtectedHeader({ alg: 'HS256' }).setSubject(randomUUID());
      if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
      return jwt.sign(new TextEncoder().encode(secret));
    };
    const now = Math.floor(Date.now() / 1000);
    const verdict = (maxAgeSeconds: number | null, token: string) =>
      createTokenVerifier({ secret, jwksUrl: null, maxAgeSeconds })
        .viewerFrom(`Bearer ${token}`)
        .then(
          () => 'accepted',
          (error: Error) => error.message,
        );
    assert.equal(await verdict(null, await sign({ exp: '1h' })), 'accepted');
    assert.equal(await verdict(null, await sign({ iat: now })), 'Invalid token: missing required "exp" claim');
    assert.equal(await verdict(null, await sign({})), 'Invalid token: missing required "exp" claim');
    assert.equal(await verdict(3600, await sign({ iat: now - 60 })), 'accepted');
    assert.match(await verdict(3600, await sign({ iat: now - 7200 })), /^Invalid token: .*iat/);
    assert.match(await verdict(3600, await sign({ iat: now - 60, exp: '-1m' })), /^Invalid token: .*exp/);
    assert.match(await verdict(3600, await sign({ exp: '1h' })), /^Invalid token: .*iat/);
  });

  test('a token accepted once is still refused once its exp has passed', async () => {
    const secret = 'a-secret-for-this-test-only-32-characters';
    const { SignJWT } = await import('jose');
    const verifier = createTokenVerifier({ secret, jwksUrl: null, maxAgeSeconds: null });
    const token = await new SignJWT({ tier: 'pro' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(secret));
    assert.equal((await verifier.viewerFrom(`Bearer ${token}`))?.tier, 'pro');
    assert.equal((await verifier.viewerFrom(`Bearer ${token}`))?.tier, 'pro');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await assert.rejects(verifier.viewerFrom(`Bearer ${token}`), /exp/);
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(DESIGN_URL, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('a body too large (413) or not JSON (400) answers the GraphQL-over-HTTP error shape, without stack or paths', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      [JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }), {}, 413, 'application/json'],
      ['{"query": "{ __typename }",', {}, 400, 'application/json'],
      ['{ nope', { accept: 'application/graphql-response+json' }, 400, 'application/graphql-response+json'],
    ];
    for (const [body, headers, status, type] of cases) {
      const response = await post(body, headers);
      const text = await response.text();
      assert.equal(response.status, status, text.slice(0, 300));
      assert.equal(response.headers.get('content-type'), `${type}; charset=utf-8`);
      const parsed = JSON.parse(text) as { errors: GraphQLError[] };
      assert.equal(parsed.errors.length, 1);
      assert.deepEqual(Object.keys(parsed.errors[0]!).sort(), ['extensions', 'message']);
      assert.deepEqual(parsed.errors[0]!.extensions, { code: 'BAD_REQUEST' });
      assert.doesNotMatch(text, /node_modules|\/work\/|at [\w.]+ \(/);
    }
  });

  test('any other error Express meets answers JSON 500, without its message or stack', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error(`failed in ${__filename}`);
    });
    app.use(jsonErrors);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
      assert.equal(response.status, 500);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(await response.json(), {
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    } finally {
      server.close();
    }
  });

  test('/files answers 404 for a key that is a directory or lies under a file, and never 500 for odd keys', async () => {
    const config = loadConfig();
    const files = createLocalFileStorage({ ...config.files, publicUrl: new URL(ROOT_URL).origin });
    const base = `hostile/${randomUUID()}`;
    await files.put(`${base}/dir/file.txt`, Buffer.from('kept'));
    assert.equal((await fetch(await files.downloadUrl(`${base}/dir/file.txt`))).status, 200);
    assert.equal((await fetch(await files.downloadUrl(`${base}/dir`))).status, 404);
    assert.equal((await fetch(await files.downloadUrl('hostile'))).status, 404);
    assert.equal((await fetch(await files.downloadUrl(`${base}/dir/file.txt/more`))).status, 404);
    const signed = new URL(await files.downloadUrl(`${base}/dir/file.txt`));
    for (const path of [`/files/${base}/dir/..%2Fdir%2Ffile.txt`, `/files/${base}/%00`, `/files/${base}/%E0%A4%A`]) {
      const response = await fetch(`${ROOT_URL}${path}${signed.search}`);
      assert.ok([400, 403, 404].includes(response.status), `${path}: ${response.status}`);
      assert.doesNotMatch(await response.text(), /node_modules|\/work\/|at [\w.]+ \(/);
    }
    await rm(join(config.files.dir, 'hostile'), { recursive: true, force: true });
  });
});
