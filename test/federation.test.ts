import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addLayer,
  AVATAR_FEMALE,
  GATEWAY_URL,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  sqlStatementsSoFar,
  graphql,
  type TestUser,
  okAsGateway,
} from './helpers';

describe('federation', () => {
  test('Design and Layer resolve by key through _entities; unreadable ones resolve to null', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    // _entities is added by federation, so it is not in schema/design.graphql: its result is typed here.
    type Entities = { _entities: ({ id: string; name?: string; order?: number; design?: { id: string } } | null)[] };
    const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Design { id name } ... on Layer { id order design { id } } } }`;
    const r = [
      { __typename: 'Design', id },
      { __typename: 'Layer', id: layer.id },
    ];
    const mine = await okAsGateway<Entities>(owner, QUERY, { r });
    assert.deepEqual(mine._entities, [
      { id, name: mine._entities[0]!.name },
      { id: layer.id, order: 0, design: { id } },
    ]);
    const stranger = await okAsGateway<Entities>(await makeUser(), QUERY, { r });
    assert.deepEqual(stranger._entities, [null, null]);
  });

  test('User.designs and Avatar.designs are contributed, filtered by what the viewer may read', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_FEMALE, visibility: 'SHARED' });
    type Designs = { _entities: { designs: { totalCount: number; edges: { node: { id: string } }[] } }[] };
    const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { designs { totalCount edges { node { id } } } } } }`;
    const asOwner = await okAsGateway<Designs>(owner, QUERY, { r: [{ __typename: 'User', id: owner.id }] });
    assert.deepEqual(asOwner._entities[0].designs.edges, [{ node: { id } }]);
    const asAnonymous = await okAsGateway<Designs>(null, QUERY, { r: [{ __typename: 'User', id: owner.id }] });
    assert.equal(asAnonymous._entities[0].designs.totalCount, 0);
    const avatar = await okAsGateway<Designs>(
      owner,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Avatar { designs(first: 100) { edges { node { id } } } } } }`,
      {
        r: [{ __typename: 'Avatar', id: AVATAR_FEMALE }],
      },
    );
    assert.ok(avatar._entities[0].designs.edges.some((e) => e.node.id === id));
  });

  test('one query through the gateway spans the design, avatar and catalog subgraphs', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_FEMALE });
    await addLayer(owner, id, { catalogItemId: ITEM.tshirt, customization: { materialItemId: ITEM.denim } });
    const result = await gql(
      owner,
      graphql(`
        query ($id: ID!) {
          design(id: $id) {
            name
            avatar {
              name
              bodyType
            }
            layers {
              catalogItem {
                name
                type
              }
              customization {
                material {
                  name
                }
              }
            }
          }
        }
      `),
      { id },
      GATEWAY_URL,
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data!.design!.avatar, { name: 'Ava', bodyType: 'female-standard' });
    assert.deepEqual(result.data!.design!.layers, [
      { catalogItem: { name: 'Crew-neck T-shirt', type: 'SILHOUETTE' }, customization: { material: { name: 'Indigo denim' } } },
    ]);
  });

  test('no N+1: the SQL statements of a designs page do not grow with designs or layers', async () => {
    const QUERY = `{ designs(first: 20) { edges { node { layers { catalogItem { id } } canvas { renderQuality } collaborators { role } layerGroups { id } viewerRole } } } }`;
    const measure = async (user: TestUser) => {
      const before = await sqlStatementsSoFar();
      await ok(user, QUERY);
      return (await sqlStatementsSoFar()) - before;
    };
    const small = await makeUser();
    await addLayer(small, (await makeDesign(small)).id);
    const large = await makeUser();
    for (let i = 0; i < 15; i++) {
      const { id } = await makeDesign(large);
      for (let j = 0; j < 3; j++) await addLayer(large, id);
    }
    const [one, many] = [await measure(small), await measure(large)];
    console.log(`# SQL statements for designs(first: 20): 1 design with 1 layer: ${one}; 15 designs with 45 layers: ${many}`);
    assert.equal(many, one, `1 design: ${one} statements, 15 designs with 45 layers: ${many}`);
    assert.ok(one <= 8, `${one} statements`);
  });
});
