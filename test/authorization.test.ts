import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addLayer, gql, makeDesign, makeUser, ok, share, type TestUser, graphql } from './helpers';

type Role = 'OWNER' | 'EDITOR' | 'COMMENTER' | 'VIEWER' | 'OTHER' | 'ANONYMOUS';
type Visibility = 'PRIVATE' | 'SHARED' | 'PUBLIC';
type Level = 'read' | 'edit' | 'manage';

const ROLES: Role[] = ['OWNER', 'EDITOR', 'COMMENTER', 'VIEWER', 'OTHER', 'ANONYMOUS'];
const VISIBILITIES: Visibility[] = ['PRIVATE', 'SHARED', 'PUBLIC'];

interface Fixture {
  designId: string;
  layerId: string;
  collaboratorId: string;
}

/** Every query and mutation this issue implements, with the permission it needs (contract README). */
const OPERATIONS: { name: string; level: Level; query: string; vars: (f: Fixture) => Record<string, unknown> }[] = [
  { name: 'design', level: 'read', query: 'query($d: ID!) { design(id: $d) { id } }', vars: (f) => ({ d: f.designId }) },
  {
    name: 'updateDesign (name)',
    level: 'edit',
    query: 'mutation($d: ID!) { updateDesign(id: $d, input: { name: "n" }) { id } }',
    vars: (f) => ({ d: f.designId }),
  },
  {
    name: 'updateDesign (visibility)',
    level: 'manage',
    query: 'mutation($d: ID!) { updateDesign(id: $d, input: { visibility: PRIVATE }) { id } }',
    vars: (f) => ({ d: f.designId }),
  },
  { name: 'publishDesign', level: 'manage', query: 'mutation($d: ID!) { publishDesign(id: $d) { id } }', vars: (f) => ({ d: f.designId }) },
  { name: 'archiveDesign', level: 'manage', query: 'mutation($d: ID!) { archiveDesign(id: $d) { id } }', vars: (f) => ({ d: f.designId }) },
  { name: 'deleteDesign', level: 'manage', query: 'mutation($d: ID!) { deleteDesign(id: $d) }', vars: (f) => ({ d: f.designId }) },
  {
    name: 'addLayer',
    level: 'edit',
    query: 'mutation($d: ID!) { addLayer(designId: $d, input: { catalogItemId: "item-silhouette-shirt" }) { id } }',
    vars: (f) => ({ d: f.designId }),
  },
  {
    name: 'updateLayer',
    level: 'edit',
    query: 'mutation($l: ID!) { updateLayer(id: $l, input: { opacity: 50 }) { id } }',
    vars: (f) => ({ l: f.layerId }),
  },
  { name: 'removeLayer', level: 'edit', query: 'mutation($l: ID!) { removeLayer(id: $l) { id } }', vars: (f) => ({ l: f.layerId }) },
  { name: 'duplicateLayer', level: 'edit', query: 'mutation($l: ID!) { duplicateLayer(id: $l) { id } }', vars: (f) => ({ l: f.layerId }) },
  {
    name: 'reorderLayers',
    level: 'edit',
    query: 'mutation($d: ID!, $l: ID!) { reorderLayers(designId: $d, layerIds: [$l]) { id } }',
    vars: (f) => ({ d: f.designId, l: f.layerId }),
  },
  {
    name: 'moveLayer',
    level: 'edit',
    query: 'mutation($l: ID!) { moveLayer(id: $l, toOrder: 0) { id } }',
    vars: (f) => ({ l: f.layerId }),
  },
  {
    name: 'groupLayers',
    level: 'edit',
    query: 'mutation($d: ID!, $l: ID!) { groupLayers(designId: $d, layerIds: [$l]) { id } }',
    vars: (f) => ({ d: f.designId, l: f.layerId }),
  },
  {
    name: 'updateCanvasSettings',
    level: 'edit',
    query: 'mutation($d: ID!) { updateCanvasSettings(designId: $d, input: { showGrid: false }) { showGrid } }',
    vars: (f) => ({ d: f.designId }),
  },
  {
    name: 'addCollaborator',
    level: 'manage',
    query: 'mutation($d: ID!) { addCollaborator(designId: $d, userId: "00000000-0000-4000-8000-00000000abcd", role: VIEWER) { role } }',
    vars: (f) => ({ d: f.designId }),
  },
  {
    name: 'updateCollaborator',
    level: 'manage',
    query: 'mutation($d: ID!, $u: ID!) { updateCollaborator(designId: $d, userId: $u, role: EDITOR) { role } }',
    vars: (f) => ({ d: f.designId, u: f.collaboratorId }),
  },
  {
    name: 'removeCollaborator',
    level: 'manage',
    query: 'mutation($d: ID!, $u: ID!) { removeCollaborator(designId: $d, userId: $u) }',
    vars: (f) => ({ d: f.designId, u: f.collaboratorId }),
  },
];

function canRead(role: Role, visibility: Visibility): boolean {
  if (visibility === 'PUBLIC') return true; // PUBLIC fixtures are published
  if (role === 'ANONYMOUS') return false;
  return role !== 'OTHER' || visibility === 'SHARED';
}

/** null: allowed; otherwise the error code the contract asks for. */
function expected(level: Level, role: Role, visibility: Visibility): string | null {
  if (level === 'read') return null;
  if (role === 'ANONYMOUS') return 'UNAUTHENTICATED';
  if (!canRead(role, visibility)) return 'NOT_FOUND';
  const allowed = level === 'edit' ? ['OWNER', 'EDITOR'] : ['OWNER'];
  return allowed.includes(role) ? null : 'FORBIDDEN';
}

async function fixture(visibility: Visibility, users: Record<Exclude<Role, 'ANONYMOUS'>, TestUser>): Promise<Fixture> {
  const { id } = await makeDesign(users.OWNER, { visibility });
  if (visibility === 'PUBLIC') await ok(users.OWNER, graphql('mutation($d: ID!) { publishDesign(id: $d) { id } }'), { d: id });
  for (const role of ['EDITOR', 'COMMENTER', 'VIEWER'] as const) await share(users.OWNER, id, users[role], role);
  const layer = await addLayer(users.OWNER, id);
  return { designId: id, layerId: layer.id, collaboratorId: users.VIEWER.id };
}

async function makeUsers(): Promise<Record<Exclude<Role, 'ANONYMOUS'>, TestUser>> {
  return {
    OWNER: await makeUser('enterprise'),
    EDITOR: await makeUser(),
    COMMENTER: await makeUser(),
    VIEWER: await makeUser(),
    OTHER: await makeUser(),
  };
}

describe('authorization: every operation x role x visibility', () => {
  for (const op of OPERATIONS) {
    test(op.name, async () => {
      // Users of each operation's own: one owner making every fixture of the matrix would be rate limited.
      const users = await makeUsers();
      for (const visibility of VISIBILITIES) {
        for (const role of ROLES) {
          const f = await fixture(visibility, users);
          const result = await gql<{ design?: { id: string } | null }>(role === 'ANONYMOUS' ? null : users[role], op.query, op.vars(f));
          const want = expected(op.level, role, visibility);
          const label = `${op.name} as ${role} on ${visibility}`;
          if (op.level === 'read') {
            assert.equal(result.errors, undefined, label);
            assert.equal(result.data?.design?.id ?? null, canRead(role, visibility) ? f.designId : null, label);
          } else {
            assert.equal(result.errors?.[0]?.extensions?.code ?? null, want, `${label}: ${JSON.stringify(result.errors)}`);
          }
        }
      }
    });
  }

  test('a PUBLIC design that is not published is readable by its collaborators only', async () => {
    const users = await makeUsers();
    const { id } = await makeDesign(users.OWNER, { visibility: 'PUBLIC' });
    await share(users.OWNER, id, users.VIEWER, 'VIEWER');
    const read = async (user: TestUser | null) =>
      (await ok(user, graphql('query($d: ID!) { design(id: $d) { id } }'), { d: id })).design?.id ?? null;
    assert.equal(await read(users.VIEWER), id);
    assert.equal(await read(users.OTHER), null);
    assert.equal(await read(null), null);
  });
});
