import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REST_ROUTES } from '../src/http/rest/rest-routes';
import {
  ITEM,
  ROOT_URL,
  DESIGN_URL,
  exportEnded,
  makeUser,
  share,
  startDesignSubgraph,
  subscribe,
  graphql,
  type TestUser,
} from './helpers';

const API = `${ROOT_URL}/api`;

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked against the OpenAPI document
}

async function call(method: string, path: string, user: TestUser | null, body?: unknown, headers: Record<string, string> = {}, base = API) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(user ? { authorization: `Bearer ${user.token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined } as Answer;
}

type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

describe('REST API (/api) over the same execution as /graphql', { timeout: 120_000 }, () => {
  let document: OpenApi;
  const seen = new Set<string>();
  let checkAnswer: (method: string, template: string, answer: Answer) => void;

  before(async () => {
    document = (await call('GET', '/openapi.json', null)).body as OpenApi;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi');
    checkAnswer = (method, template, answer) => {
      seen.add(`${method} ${template}`);
      const operation = document.paths[template]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${template} is in the document`);
      const declared = operation.responses[String(answer.status)];
      assert.ok(declared, `${method} ${template} declares ${answer.status}: ${JSON.stringify(answer.body)}`);
      const schema = declared.content?.['application/json']?.schema;
      if (!schema) return assert.equal(answer.body, undefined);
      const pointer = `openapi#/paths/${template.replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${answer.status}/content/application~1json/schema`;
      const validate = ajv.getSchema(pointer)!;
      assert.ok(validate(answer.body), `${method} ${template} ${answer.status}: ${ajv.errorsText(validate.errors)}`);
    };
  });

  test('the OpenAPI document is valid 3.1, has every route and no federation internals', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(document as never);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    assert.equal((document as unknown as { openapi: string }).openapi, '3.1.0');
    for (const route of REST_ROUTES) assert.ok(document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method], route.path);
    assert.ok(!JSON.stringify(document).includes('_entities') && !JSON.stringify(document).includes('_service'));
    assert.equal((await call('POST', '/entities', null, {})).status, 404);
  });

  test('every route once, each answer as the document says; If-Match is expectedRevision', async () => {
    const owner = await makeUser('enterprise');
    const check = async (method: string, template: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const answer = await call(method, path, owner, body, headers);
      checkAnswer(method, template, answer);
      return answer;
    };
    const created = await check('POST', '/designs', '/designs', { name: 'REST design', tags: ['rest'] });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const read = await check('GET', '/designs/{id}', `/designs/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), `"${read.body.revision}"`);

    const patched = await check('PATCH', '/designs/{id}', `/designs/${id}`, { name: 'Renamed' }, { 'if-match': read.headers.get('etag')! });
    assert.deepEqual([patched.status, patched.body.name, patched.body.revision], [200, 'Renamed', read.body.revision + 1]);
    const stale = await check('PATCH', '/designs/{id}', `/designs/${id}`, { name: 'Lost' }, { 'if-match': read.headers.get('etag')! });
    assert.deepEqual([stale.status, stale.body.code, stale.body.currentRevision], [409, 'CONFLICT', read.body.revision + 1]);

    const first = await check('POST', '/designs/{designId}/layers', `/designs/${id}/layers`, { catalogItemId: ITEM.tshirt });
    const second = await check('POST', '/designs/{designId}/layers', `/designs/${id}/layers`, { catalogItemId: ITEM.trousers });
    assert.deepEqual([first.status, second.status], [201, 201]);
    const layer = await check('PATCH', '/layers/{id}', `/layers/${first.body.id}`, { opacity: 40, customization: { color: '#336699' } });
    assert.deepEqual([layer.status, layer.body.opacity, layer.body.customization.color], [200, 40, '#336699']);
    const order = await check('PUT', '/designs/{designId}/layer-order', `/designs/${id}/layer-order`, {
      layerIds: [second.body.id, first.body.id],
    });
    assert.deepEqual(
      order.body.layers.map((l: { id: string }) => l.id),
      [second.body.id, first.body.id],
    );

    const checkpoint = await check('POST', '/designs/{designId}/checkpoints', `/designs/${id}/checkpoints`, { message: 'via REST' });
    assert.deepEqual([checkpoint.status, checkpoint.body.kind, checkpoint.body.message], [201, 'CHECKPOINT', 'via REST']);
    const versions = await check('GET', '/designs/{id}/versions', `/designs/${id}/versions?first=1`);
    assert.deepEqual(
      [versions.body.edges.length, versions.body.pageInfo.hasNextPage, versions.body.edges[0].node.message],
      [1, true, 'via REST'],
    );

    const render = await check('POST', '/designs/{designId}/renders', `/designs/${id}/renders`, { width: 64, height: 64 });
    assert.equal(render.status, 202);
    const started = await check('POST', '/designs/{designId}/exports', `/designs/${id}/exports`, {
      type: 'IMAGE',
      format: 'PNG',
      image: { width: 24, height: 24 },
    });
    assert.deepEqual([started.status, started.body.status], [202, 'QUEUED']);
    assert.equal(await exportEnded(owner, started.body.id), 'COMPLETED');
    const exported = await check('GET', '/exports/{id}', `/exports/${started.body.id}`);
    assert.equal(exported.body.status, 'COMPLETED');
    assert.equal((await fetch(exported.body.fileUrl)).status, 200, 'the signed link works');

    const fork = await check('POST', '/designs/{id}/fork', `/designs/${id}/fork`, { name: 'REST fork' });
    assert.deepEqual([fork.status, fork.body.name, fork.body.layers.length], [201, 'REST fork', 2]);
    const removed = await check('DELETE', '/layers/{id}', `/layers/${first.body.id}`);
    assert.equal(removed.body.layers.length, 1);

    const page = await check('GET', '/designs', '/designs?scope=MINE&first=1&orderBy=CREATED_DESC');
    assert.deepEqual([page.body.edges.length, page.body.totalCount, page.body.edges[0].node.id], [1, 2, fork.body.id]);
    const next = await check(
      'GET',
      '/designs',
      `/designs?scope=MINE&first=1&orderBy=CREATED_DESC&after=${encodeURIComponent(page.body.pageInfo.endCursor)}`,
    );
    assert.equal(next.body.edges[0].node.id, id);
    const tagged = await check('GET', '/designs', '/designs?tags=rest&status=DRAFT,PUBLISHED');
    assert.deepEqual(
      tagged.body.edges.map((e: { node: { id: string } }) => e.node.id).sort(),
      [id, fork.body.id].sort(),
      'the fork keeps the tags',
    );

    assert.equal((await check('DELETE', '/designs/{id}', `/designs/${id}`)).status, 204);
    const gone = await check('GET', '/designs/{id}', `/designs/${id}`);
    assert.deepEqual([gone.status, gone.body.code], [404, 'NOT_FOUND']);

    for (const route of REST_ROUTES)
      assert.ok(seen.has(`${route.method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`), route.path);
  });

  test('errors carry the GraphQL codes as HTTP statuses, and BAD_USER_INPUT names the field', async () => {
    const owner = await makeUser();
    const id = (await call('POST', '/designs', owner, { name: 'Errors' })).body.id as string;
    const expect = async (answer: Promise<Answer>, status: number, code: string, field?: string) => {
      const { status: got, body } = await answer;
      assert.deepEqual([got, body.code], [status, code], JSON.stringify(body));
      if (field) assert.equal(body.field, field, JSON.stringify(body));
    };
    await expect(call('POST', '/designs', null, { name: 'x' }), 401, 'UNAUTHENTICATED');
    await expect(call('GET', '/designs', 'not a token' as unknown as TestUser), 401, 'UNAUTHENTICATED');
    await expect(call('GET', `/designs/${randomUUID()}`, owner), 404, 'NOT_FOUND');
    await expect(call('GET', '/designs?first=abc', owner), 400, 'BAD_USER_INPUT', 'first');
    await expect(call('GET', '/designs?colour=red', owner), 400, 'BAD_USER_INPUT', 'colour');
    await expect(call('PATCH', `/designs/${id}`, owner, { name: 'y' }, { 'if-match': 'yesterday' }), 400, 'BAD_USER_INPUT', 'If-Match');
    await expect(call('PUT', `/designs/${id}/layer-order`, owner, { layerIds: [], extra: 1 }), 400, 'BAD_USER_INPUT', 'extra');
    const blank = await call('PATCH', `/designs/${id}`, owner, { name: '   ' });
    assert.deepEqual([blank.status, blank.body.code], [400, 'BAD_USER_INPUT']);
    assert.match(JSON.stringify(blank.body), /name/);
    await expect(call('GET', '/nothing/here', owner), 404, 'NOT_FOUND');
    const docs = await fetch(`${API}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /\.\/docs\/swagger-ui-bundle\.js/);
    const bundle = await fetch(`${API}/docs/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200, 'Swagger UI is served from the package, not a CDN');
    await bundle.arrayBuffer();
  });

  test('the authorization matrix, sampled through REST', async () => {
    const owner = await makeUser();
    const users: Record<string, TestUser | null> = {
      OWNER: owner,
      EDITOR: await makeUser(),
      VIEWER: await makeUser(),
      OTHER: await makeUser(),
      ANONYMOUS: null,
    };
    const id = (await call('POST', '/designs', owner, { name: 'Matrix' })).body.id as string;
    const layerId = (await call('POST', `/designs/${id}/layers`, owner, { catalogItemId: ITEM.tshirt })).body.id as string;
    await share(owner, id, users.EDITOR!, 'EDITOR');
    await share(owner, id, users.VIEWER!, 'VIEWER');
    const expected: Record<string, [number, number, number]> = {
      // read the design, change a layer, delete the design
      OWNER: [200, 200, 204],
      EDITOR: [200, 200, 403],
      VIEWER: [200, 403, 403],
      OTHER: [404, 404, 404],
      ANONYMOUS: [404, 401, 401],
    };
    for (const [role, [read, edit, remove]] of Object.entries(expected)) {
      if (role === 'OWNER') continue;
      const user = users[role]!;
      assert.equal((await call('GET', `/designs/${id}`, user)).status, read, `${role} reads`);
      assert.equal((await call('PATCH', `/layers/${layerId}`, user, { opacity: 50 })).status, edit, `${role} edits`);
      assert.equal((await call('DELETE', `/designs/${id}`, user)).status, remove, `${role} deletes`);
    }
    assert.deepEqual(
      [(await call('GET', `/designs/${id}`, owner)).status, (await call('PATCH', `/layers/${layerId}`, owner, { opacity: 60 })).status],
      expected.OWNER.slice(0, 2),
    );
    assert.equal((await call('DELETE', `/designs/${id}`, owner)).status, expected.OWNER[2]);
  });

  test('a change made through REST reaches a GraphQL subscriber', async () => {
    const owner = await makeUser();
    const id = (await call('POST', '/designs', owner, { name: 'Live' })).body.id as string;
    const layerId = (await call('POST', `/designs/${id}/layers`, owner, { catalogItemId: ITEM.tshirt })).body.id as string;
    const events = subscribe(
      DESIGN_URL,
      owner,
      graphql(`
        subscription ($d: ID!) {
          designChanged(designId: $d) {
            type
            revision
            layer {
              id
              opacity
            }
          }
        }
      `),
      { d: id },
      (r) => r.data?.designChanged?.type === 'AUTOSAVED',
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const changed = await call('PATCH', `/layers/${layerId}`, owner, { opacity: 25 });
      assert.equal(changed.status, 200);
      await events.waitFor(1);
      assert.deepEqual(events.results[0]!.data!.designChanged, { type: 'LAYER_UPDATED', revision: 3, layer: { id: layerId, opacity: 25 } });
    } finally {
      await events.close();
    }
  });
});

describe('REST rate limits', { timeout: 60_000 }, () => {
  let replica: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    replica = await startDesignSubgraph({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}rest-rates:`, RATE_LIMIT_MUTATIONS: '2' });
  });
  after(() => replica.stop());

  test('past the budget: 429 RATE_LIMITED with Retry-After', async () => {
    const user = await makeUser();
    const base = replica.url.replace(/\/graphql$/, '/api');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call('POST', '/designs', user, { name: `Limited ${i}` }, {}, base));
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 429],
    );
    assert.equal(answers[2]!.body.code, 'RATE_LIMITED');
    assert.ok(Number(answers[2]!.headers.get('retry-after')) >= 1);
  });
});
