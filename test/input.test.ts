import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signDevelopmentToken } from '../src/auth/tokens';
import { addLayer, DESIGN_URL, gql, makeDesign, makeUser, ok, graphql, type Operation } from './helpers';

describe('identity', () => {
  test('a malformed, badly signed or expired token is UNAUTHENTICATED, never anonymous', async () => {
    const userId = '00000000-0000-4000-8000-00000000beef';
    const forged = await signDevelopmentToken('not-the-secret', userId, 'pro');
    const expired = await signDevelopmentToken(process.env.JWT_SECRET!, userId, 'pro', '-1m');
    const badTier = await (async () => {
      const { SignJWT } = await import('jose');
      return new SignJWT({ tier: 'gold' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(process.env.JWT_SECRET!));
    })();
    for (const token of ['garbage', forged, expired, badTier]) {
      const result = await gql(token, graphql('{ designs(filter: { scope: PUBLIC }) { totalCount } }'));
      assert.equal(result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', token);
    }
  });

  test('every mutation without a token is UNAUTHENTICATED', async () => {
    const result = await gql(null, graphql('mutation { createDesign(input: { name: "x" }) { id } }'));
    assert.equal(result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('a subscription sent over HTTP is refused with a clear error', async () => {
    const result = await gql(await makeUser(), graphql('subscription { exportUpdated(exportId: "x") { id } }'));
    assert.match(result.errors?.[0]?.message ?? '', /graphql-ws/);
  });

  test('/health and /ready answer', async () => {
    const root = DESIGN_URL.replace(/\/graphql$/, '');
    assert.equal((await fetch(`${root}/health`)).status, 200);
    const ready = await fetch(`${root}/ready`);
    assert.deepEqual(await ready.json(), { status: 'ready', postgres: 'ok', redis: 'ok' });
  });
});

describe('input validation: BAD_USER_INPUT naming the field', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['empty name', 'mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }', { i: { name: '' } }, 'name'],
    ['long name', 'mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }', { i: { name: 'x'.repeat(201) } }, 'name'],
    ['non-UUID client id', 'mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }', { i: { id: 'abc', name: 'x' } }, 'id'],
    [
      'too many tags',
      'mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }',
      { i: { name: 'x', tags: Array.from({ length: 51 }, (_, n) => `t${n}`) } },
      'tags',
    ],
    ['blank tag', 'mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }', { i: { name: 'x', tags: [' '] } }, 'tags'],
  ];
  for (const [name, query, variables, field] of cases) {
    test(`createDesign: ${name}`, async () => {
      const result = await gql(await makeUser(), query, variables);
      assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(result.errors?.[0]?.extensions?.field, field);
    });
  }

  const layerCases: [string, Record<string, unknown>, string][] = [
    ['colour not #rrggbb', { customization: { color: 'red' } }, 'customization.color'],
    ['opacity over 100', { opacity: 101 }, 'opacity'],
    ['opacity under 0', { opacity: -1 }, 'opacity'],
    ['position out of range', { transform: { position: { x: 1e9, y: 0, z: 0 } } }, 'transform.position.x'],
    ['roughness over 1', { customization: { roughness: 2 } }, 'customization.roughness'],
    ['extra over 16 KiB', { customization: { extra: { blob: 'x'.repeat(17 * 1024) } } }, 'customization.extra'],
    ['notes too long', { notes: 'x'.repeat(5001) }, 'notes'],
  ];
  for (const [name, input, field] of layerCases) {
    test(`updateLayer: ${name}`, async () => {
      const owner = await makeUser();
      const layer = await addLayer(owner, (await makeDesign(owner)).id);
      const result = await gql(owner, graphql('mutation($id: ID!, $i: UpdateLayerInput!) { updateLayer(id: $id, input: $i) { id } }'), {
        id: layer.id,
        i: input,
      });
      assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(result.errors));
      assert.equal(result.errors?.[0]?.extensions?.field, field);
    });
  }

  test('canvas: background value must fit its type; fov and grid size in range', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const Q = graphql(
      'mutation($d: ID!, $i: CanvasSettingsInput!) { updateCanvasSettings(designId: $d, input: $i) { background { value } } }',
    );
    for (const [input, field] of [
      [{ background: { type: 'COLOR', value: 'blue' } }, 'background.value'],
      [{ background: { type: 'TRANSPARENT', value: '#ffffff' } }, 'background.value'],
      [{ camera: { fov: 0 } }, 'camera.fov'],
      [{ gridSize: 0 }, 'gridSize'],
    ] as const) {
      const result = await gql(owner, Q, { d: id, i: input });
      assert.equal(result.errors?.[0]?.extensions?.field, field, JSON.stringify(result.errors));
    }
    const good = await gql(owner, Q, { d: id, i: { background: { type: 'GRADIENT', value: '#ffffff,#000000' } } });
    assert.equal(good.data!.updateCanvasSettings.background.value, '#ffffff,#000000');
  });

  test('ids that are not UUIDs are simply not found', async () => {
    const owner = await makeUser();
    const read = await gql(owner, graphql('{ design(id: "not-a-uuid") { id } }'));
    assert.deepEqual(read, { data: { design: null } });
    const write = await gql(owner, graphql('mutation { updateLayer(id: "not-a-uuid", input: { opacity: 1 }) { id } }'));
    assert.equal(write.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  test('page size outside 1..100 is BAD_USER_INPUT', async () => {
    const result = await gql(await makeUser(), graphql('{ designs(first: 101) { totalCount } }'));
    assert.equal(result.errors?.[0]?.extensions?.field, 'first');
  });
});

describe('bad input on layer, group and collaborator mutations', () => {
  const ADD = graphql('mutation($d: ID!, $i: AddLayerInput!) { addLayer(designId: $d, input: $i) { id } }');
  const addCases: [string, Record<string, unknown>, string][] = [
    ['colour', { catalogItemId: 'item-silhouette-t-shirt', customization: { color: '#12345' } }, 'customization.color'],
    ['opacity', { catalogItemId: 'item-silhouette-t-shirt', opacity: 150 }, 'opacity'],
    ['negative order', { catalogItemId: 'item-silhouette-t-shirt', order: -1 }, 'order'],
    ['client id', { id: 'layer-1', catalogItemId: 'item-silhouette-t-shirt' }, 'id'],
    ['scale', { catalogItemId: 'item-silhouette-t-shirt', transform: { scale: { x: 1, y: 1, z: 20000 } } }, 'transform.scale.z'],
    ['texture scale', { catalogItemId: 'item-silhouette-t-shirt', customization: { textureScale: 0 } }, 'customization.textureScale'],
    [
      'material of the wrong type',
      { catalogItemId: 'item-silhouette-t-shirt', customization: { materialItemId: 'item-accessory-cap' } },
      'customization.materialItemId',
    ],
    ['name', { catalogItemId: 'item-silhouette-t-shirt', name: 'n'.repeat(201) }, 'name'],
  ];
  for (const [name, input, field] of addCases) {
    test(`addLayer: ${name}`, async () => {
      const owner = await makeUser();
      const { id } = await makeDesign(owner);
      const result = await gql(owner, ADD, { d: id, i: input });
      assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(result.errors));
      assert.equal(result.errors?.[0]?.extensions?.field, field);
    });
  }

  test('updateDesign: an empty name, a blank tag', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const UPDATE = graphql('mutation($id: ID!, $i: UpdateDesignInput!) { updateDesign(id: $id, input: $i) { id } }');
    for (const [input, field] of [
      [{ name: '' }, 'name'],
      [{ tags: ['ok', ''] }, 'tags'],
    ] as const) {
      const result = await gql(owner, UPDATE, { id, i: input });
      assert.equal(result.errors?.[0]?.extensions?.field, field, JSON.stringify(result.errors));
    }
  });

  test('groupLayers: an empty list, a repeated layer or a layer of another design', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const foreign = await addLayer(owner, (await makeDesign(owner)).id);
    const GROUP = graphql('mutation($d: ID!, $ids: [ID!]!) { groupLayers(designId: $d, layerIds: $ids) { id } }');
    for (const ids of [[], [layer.id, layer.id], [layer.id, foreign.id]]) {
      const result = await gql(owner, GROUP, { d: id, ids });
      assert.equal(result.errors?.[0]?.extensions?.field, 'layerIds', JSON.stringify(ids));
    }
  });

  test('moveLayer: toOrder outside the stack', async () => {
    const owner = await makeUser();
    const layer = await addLayer(owner, (await makeDesign(owner)).id);
    const result = await gql(owner, graphql('mutation($id: ID!) { moveLayer(id: $id, toOrder: 1) { id } }'), { id: layer.id });
    assert.equal(result.errors?.[0]?.extensions?.field, 'toOrder');
  });

  test('collaborators: OWNER cannot be granted, user ids are UUIDs, the owner keeps their place', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const guest = await makeUser();
    const ADD_C = graphql(
      'mutation($d: ID!, $u: ID!, $r: CollaboratorRole!) { addCollaborator(designId: $d, userId: $u, role: $r) { role } }',
    );
    const cases: [Operation<unknown>, Record<string, unknown>, string, string][] = [
      [ADD_C, { d: id, u: guest.id, r: 'OWNER' }, 'BAD_USER_INPUT', 'role'],
      [ADD_C, { d: id, u: 'someone', r: 'EDITOR' }, 'BAD_USER_INPUT', 'userId'],
      [ADD_C, { d: id, u: owner.id, r: 'EDITOR' }, 'BAD_USER_INPUT', 'userId'],
      [
        'mutation($d: ID!, $u: ID!) { updateCollaborator(designId: $d, userId: $u, role: VIEWER) { role } }',
        { d: id, u: owner.id },
        'BAD_USER_INPUT',
        'userId',
      ],
      ['mutation($d: ID!, $u: ID!) { removeCollaborator(designId: $d, userId: $u) }', { d: id, u: owner.id }, 'BAD_USER_INPUT', 'userId'],
      ['mutation($d: ID!, $u: ID!) { removeCollaborator(designId: $d, userId: $u) }', { d: id, u: 'not-a-uuid' }, 'NOT_FOUND', ''],
      [
        'mutation($d: ID!, $u: ID!) { updateCollaborator(designId: $d, userId: $u, role: VIEWER) { role } }',
        { d: id, u: guest.id },
        'NOT_FOUND',
        '',
      ],
    ];
    for (const [query, variables, code, field] of cases) {
      const result = await gql(owner, query, variables);
      assert.equal(result.errors?.[0]?.extensions?.code, code, JSON.stringify([variables, result.errors]));
      if (field) assert.equal(result.errors?.[0]?.extensions?.field, field);
    }
    const rows = await ok(owner, graphql('query($d: ID!) { design(id: $d) { collaborators { role } } }'), { d: id });
    assert.deepEqual(rows.design!.collaborators, [{ role: 'OWNER' }]);
  });
});

describe('text PostgreSQL cannot store, and input nested without end', () => {
  test('a NUL character, a lone surrogate or JSON nested past 32 levels is BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 200; i++) deep = { deep };
    const cases: [string, Record<string, unknown>, string][] = [
      ['mutation($i: CreateDesignInput!) { createDesign(input: $i) { id } }', { i: { name: 'a\u0000b' } }, 'i'],
      ['mutation($d: ID!, $m: String) { createCheckpoint(designId: $d, message: $m) { number } }', { d: id, m: 'x\ud800y' }, 'message'],
      ['query($s: String) { designs(filter: { scope: MINE, search: $s }) { totalCount } }', { s: 'a\u0000' }, 'filter.search'],
      [
        'mutation($d: ID!, $i: AddLayerInput!) { addLayer(designId: $d, input: $i) { id } }',
        { d: id, i: { catalogItemId: 'item-silhouette-t-shirt', customization: { extra: { 'k\u0000': 1 } } } },
        'input.customization.extra',
      ],
      [
        'mutation($d: ID!, $i: AddLayerInput!) { addLayer(designId: $d, input: $i) { id } }',
        { d: id, i: { catalogItemId: 'item-silhouette-t-shirt', customization: { extra: deep } } },
        'input.customization.extra',
      ],
    ];
    for (const [query, variables, field] of cases) {
      const result = await gql(owner, query, variables);
      assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${query} ${JSON.stringify(result.errors)}`);
      assert.ok(
        String(result.errors?.[0]?.extensions?.field).startsWith(field.replace(/^i$/, 'input')),
        JSON.stringify(result.errors?.[0]),
      );
    }
    const design = await ok(owner, graphql('query($d: ID!) { design(id: $d) { revision layers { id } versions { totalCount } } }'), {
      d: id,
    });
    assert.deepEqual([design.design!.revision, design.design!.layers.length], [1, 0]);
  });

  test('a name of white space only is BAD_USER_INPUT, on create and on rename', async () => {
    const owner = await makeUser();
    const created = await gql(owner, graphql('mutation { createDesign(input: { name: "   " }) { id } }'));
    assert.deepEqual([created.errors?.[0]?.extensions?.code, created.errors?.[0]?.extensions?.field], ['BAD_USER_INPUT', 'name']);
    const { id } = await makeDesign(owner);
    const renamed = await gql(owner, graphql('mutation($d: ID!) { updateDesign(id: $d, input: { name: "\\t " }) { id } }'), { d: id });
    assert.equal(renamed.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
