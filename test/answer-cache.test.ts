import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isObjectType, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { buildFederatedSchema } from '../src/graphql/build-schema';
import { REVISION_FIELDS, revisionPlan } from '../src/graphql/revision-plan';
import { addLayer, gql, graphql, makeDesign, makeUser, ok, sampleOf, scrape, share } from './helpers';

/** Hits and misses of the answer cache so far (tests run one at a time against the stack). */
async function cacheCounts(): Promise<{ hit: number; miss: number }> {
  const text = await scrape();
  const count = (outcome: string) => sampleOf(text, 'design_cache_requests_total', { cache: 'answer', outcome }) ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}

async function counted<T>(read: () => Promise<T>): Promise<{ value: T; hit: number; miss: number }> {
  const before = await cacheCounts();
  const value = await read();
  const after = await cacheCounts();
  return { value, hit: after.hit - before.hit, miss: after.miss - before.miss };
}

const READ = graphql(`
  query Read($id: ID!) {
    design(id: $id) {
      revision
      viewerRole
      canUndo
      layers {
        id
        opacity
      }
    }
  }
`);

describe('answers served again while the design revision stands', () => {
  test('a second read is served from the cache; after a change the read shows it', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const first = await counted(() => ok(owner, READ, { id }));
    assert.equal(first.miss, 1);
    const second = await counted(() => ok(owner, READ, { id }));
    assert.deepEqual({ hit: second.hit, miss: second.miss }, { hit: 1, miss: 0 });
    assert.deepEqual(second.value, first.value);

    await ok(
      owner,
      graphql(`
        mutation ($id: ID!) {
          updateLayer(id: $id, input: { opacity: 40 }) {
            id
          }
        }
      `),
      { id: layer.id },
    );
    const third = await counted(() => ok(owner, READ, { id }));
    assert.equal(third.hit, 0);
    assert.equal(third.value.design!.revision, first.value.design!.revision + 1);
    assert.equal(third.value.design!.layers[0]!.opacity, 40);
  });

  test("one caller's answer is never served to another, and a caller who lost access is told so", async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const { id } = await makeDesign(owner);
    await addLayer(owner, id);
    await share(owner, id, editor, 'EDITOR');
    await ok(owner, READ, { id });
    assert.equal((await ok(owner, READ, { id })).design!.viewerRole, 'OWNER');
    const asEditor = await counted(() => ok(editor, READ, { id }));
    assert.equal(asEditor.hit, 0);
    assert.deepEqual([asEditor.value.design!.viewerRole, asEditor.value.design!.canUndo], ['EDITOR', false]);
    assert.equal((await counted(() => ok(editor, READ, { id }))).hit, 1);

    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          removeCollaborator(designId: $d, userId: $u)
        }
      `),
      { d: id, u: editor.id },
    );
    const after = await counted(() => gql(editor, READ, { id }));
    assert.equal(after.hit, 0);
    assert.equal(after.value.data?.design ?? null, null, JSON.stringify(after.value));
  });

  test('answers with a field the revision does not fix are executed every time', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const query = graphql(`
      query ($id: ID!) {
        design(id: $id) {
          revision
          forkCount
        }
      }
    `);
    await ok(owner, query, { id });
    const again = await counted(() => ok(owner, query, { id }));
    assert.deepEqual({ hit: again.hit, miss: again.miss }, { hit: 0, miss: 0 });
  });

  test('a design the caller may not read is answered null each time, never from what its owner was answered', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const { id } = await makeDesign(owner);
    await ok(owner, READ, { id });
    await ok(owner, READ, { id });
    for (const reader of [stranger, stranger, null]) {
      const result = await counted(() => gql(reader, READ, { id }));
      assert.equal(result.hit, 0);
      assert.equal(result.value.data?.design, null, JSON.stringify(result.value));
    }
  });
});

describe('which operations the revision determines', () => {
  let schema: GraphQLSchema;
  before(async () => {
    schema = (await buildFederatedSchema()).schema;
  });
  const plan = (text: string) => {
    const document = parse(text);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    return revisionPlan(schema, document, operation);
  };

  test('every field listed as revision-determined is a field of that type in the schema', () => {
    for (const [typeName, fields] of Object.entries(REVISION_FIELDS)) {
      const type = schema.getType(typeName);
      assert.ok(isObjectType(type), typeName);
      for (const field of fields) assert.ok(type.getFields()[field], `${typeName}.${field}`);
    }
  });

  test('design reads made of listed fields, through fragments and aliases, name their designs', () => {
    const read = plan(`
      query ($a: ID!) {
        first: design(id: $a) { ...D layers { ... on Layer { id transform { position { x } } } } }
        second: design(id: "22222222-2222-4222-8222-222222222222") { __typename owner { id } }
      }
      fragment D on Design { name canvas { camera { fov } } collaborators { user { id } role } }`);
    assert.deepEqual(read?.designIds({ a: '11111111-1111-4111-8111-111111111111' }), [
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
    ]);
    assert.equal(read?.designIds({ a: 7 }), null);
  });

  test('anything else is not planned', () => {
    for (const text of [
      'query ($a: ID!) { design(id: $a) { viewCount } }',
      'query ($a: ID!) { design(id: $a) { versions { totalCount } } }',
      'query ($a: ID!) { design(id: $a) { owner { designs { totalCount } } } }',
      'query ($a: ID!) { design(id: $a) { forkedFrom { id } } }',
      'query ($a: ID!) { design(id: $a) { id } designs { totalCount } }',
      'query ($a: ID!) { design(id: $a) { ...F } } fragment F on Design { ...F }',
      'mutation ($a: ID!) { deleteDesign(id: $a) }',
      '{ __typename }',
    ]) {
      assert.equal(plan(text), null, text);
    }
  });
});
