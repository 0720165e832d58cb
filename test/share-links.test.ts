import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { errorCode, gql, graphql, makeDesign, makeUser, ok, share, withDb, type TestUser } from './helpers';

const CREATE = graphql(`
  mutation ($d: ID!, $role: CollaboratorRole!, $expiresAt: DateTime, $maxUses: Int) {
    createShareLink(designId: $d, role: $role, expiresAt: $expiresAt, maxUses: $maxUses) {
      id
      role
      url
      token
      expiresAt
      uses
      maxUses
      spent
      createdBy {
        id
      }
    }
  }
`);
const JOIN = graphql(`
  mutation ($token: String!) {
    joinDesign(token: $token) {
      id
      revision
      viewerRole
    }
  }
`);
const LINKS = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      revision
      shareLinks {
        id
        url
        token
        uses
        spent
      }
      collaborators {
        user {
          id
        }
        role
      }
    }
  }
`);
const REVOKE = graphql(`
  mutation ($id: ID!) {
    revokeShareLink(id: $id)
  }
`);

async function createLink(owner: TestUser, designId: string, variables: Record<string, unknown> = {}) {
  return (await ok(owner, CREATE, { d: designId, role: 'COMMENTER', ...variables })).createShareLink;
}

const joinError = async (user: TestUser | null, token: string) => (await gql(user, JOIN, { token })).errors?.[0];

describe('share links', { timeout: 60_000 }, () => {
  test('[SL1] [SL2] the owner makes links; the token is shown once and stored hashed; nobody else sees or makes links', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const stranger = await makeUser();
    const design = await makeDesign(owner);
    await share(owner, design.id, editor, 'EDITOR');

    const link = await createLink(owner, design.id, { maxUses: 3 });
    assert.equal(link.role, 'COMMENTER');
    assert.match(link.token!, /^dsl_[A-Za-z0-9_-]{43}$/);
    assert.ok(link.url.endsWith(`/join/${link.token}`));
    assert.deepEqual([link.uses, link.maxUses, link.spent, link.createdBy.id], [0, 3, false, owner.id]);

    const stored = await withDb(async (db) => (await db.query('SELECT * FROM share_links WHERE id = $1', [link.id])).rows[0]);
    assert.equal(stored.token_hash, createHash('sha256').update(link.token!).digest('hex'));
    assert.ok(!JSON.stringify(stored).includes(link.token!), 'the token itself is not stored');

    const listed = (await ok(owner, LINKS, { d: design.id })).design!.shareLinks;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.token, null);
    assert.ok(!listed[0]!.url.includes(link.token!) && listed[0]!.url.endsWith(`/join/${link.token!.slice(0, 8)}…`));
    assert.deepEqual((await ok(editor, LINKS, { d: design.id })).design!.shareLinks, [], 'an editor sees no links');

    assert.equal(await errorCode(editor, CREATE, { d: design.id, role: 'VIEWER' }), 'FORBIDDEN');
    assert.equal(await errorCode(stranger, CREATE, { d: design.id, role: 'VIEWER' }), 'NOT_FOUND');
    assert.equal(await errorCode(null, CREATE, { d: design.id, role: 'VIEWER' }), 'UNAUTHENTICATED');
    assert.equal(await errorCode(owner, CREATE, { d: design.id, role: 'OWNER' }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(owner, CREATE, { d: design.id, role: 'VIEWER', maxUses: 0 }), 'BAD_USER_INPUT');
    const past = new Date(Date.now() - 1000).toISOString();
    assert.equal(await errorCode(owner, CREATE, { d: design.id, role: 'VIEWER', expiresAt: past }), 'BAD_USER_INPUT');
    assert.equal((await ok(owner, LINKS, { d: design.id })).design!.shareLinks.length, 1, 'refused links are not made');
  });

  test('[SL1] a design has at most 50 links that are not revoked', async () => {
    const owner = await makeUser();
    const design = await makeDesign(owner);
    const links = [];
    for (let i = 0; i < 50; i++) links.push(await createLink(owner, design.id));
    assert.equal(await errorCode(owner, CREATE, { d: design.id, role: 'VIEWER' }), 'LIMIT_EXCEEDED');
    await ok(owner, REVOKE, { id: links[0]!.id });
    await createLink(owner, design.id);
  });

  test('[SL3] joining adds the caller with the link role as a change of the design, never lowers a role, and takes no use twice', async () => {
    const owner = await makeUser();
    const joiner = await makeUser();
    const viewer = await makeUser();
    const editor = await makeUser();
    const design = await makeDesign(owner);
    await share(owner, design.id, viewer, 'VIEWER');
    await share(owner, design.id, editor, 'EDITOR');
    const link = await createLink(owner, design.id, { role: 'COMMENTER' });
    const { revision } = (await ok(owner, LINKS, { d: design.id })).design!;

    assert.equal((await ok(joiner, LINKS, { d: design.id })).design, null, 'a private design is not readable before joining');
    const joined = (await ok(joiner, JOIN, { token: link.token })).joinDesign;
    assert.deepEqual(joined, { id: design.id, revision: revision + 1, viewerRole: 'COMMENTER' });
    const again = (await ok(joiner, JOIN, { token: link.token })).joinDesign;
    assert.equal(again.revision, revision + 1, 'joining again changes nothing');

    const raised = (await ok(viewer, JOIN, { token: link.token })).joinDesign;
    assert.equal(raised.viewerRole, 'COMMENTER', 'a viewer is raised to the link role');
    const kept = (await ok(editor, JOIN, { token: link.token })).joinDesign;
    assert.equal(kept.viewerRole, 'EDITOR', 'an editor keeps the higher role');

    const after = (await ok(owner, LINKS, { d: design.id })).design!;
    assert.equal(after.shareLinks[0]!.uses, 2, 'the joiner and the raised viewer took a use each');
    assert.equal(after.revision, revision + 2);
    const history = await withDb(
      async (db) =>
        (
          await db.query('SELECT action, data FROM design_history WHERE design_id = $1 AND revision > $2 ORDER BY revision', [
            design.id,
            revision,
          ])
        ).rows,
    );
    assert.deepEqual(
      history.map((h) => [h.action, h.data.userId, h.data.before, h.data.after, h.data.shareLinkId]),
      [
        ['COLLABORATOR_ADDED', joiner.id, null, 'COMMENTER', link.id],
        ['COLLABORATOR_UPDATED', viewer.id, 'VIEWER', 'COMMENTER', link.id],
      ],
    );

    assert.equal((await joinError(null, link.token!))?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal((await joinError(joiner, 'dsl_' + 'x'.repeat(43)))?.extensions?.code, 'NOT_FOUND');
    assert.equal((await joinError(joiner, 'not a token'))?.extensions?.code, 'NOT_FOUND');
  });

  test('[SL4] maxUses holds under 20 concurrent joins, and an expired link admits nobody', async () => {
    const owner = await makeUser();
    const design = await makeDesign(owner);
    const link = await createLink(owner, design.id, { role: 'VIEWER', maxUses: 5 });
    const joiners = await Promise.all(Array.from({ length: 20 }, () => makeUser()));
    const answers = await Promise.all(joiners.map((user) => gql(user, JOIN, { token: link.token })));
    const joined = answers.filter((a) => a.data?.joinDesign);
    const refused = answers.filter((a) => a.errors);
    assert.equal(joined.length, 5);
    assert.equal(refused.length, 15);
    for (const answer of refused)
      assert.deepEqual([answer.errors![0]!.extensions?.code, answer.errors![0]!.extensions?.reason], ['FORBIDDEN', 'USED_UP']);
    const after = (await ok(owner, LINKS, { d: design.id })).design!;
    assert.equal(after.shareLinks[0]!.uses, 5);
    assert.equal(after.shareLinks[0]!.spent, true);
    assert.equal(after.collaborators.length, 1 + 5);

    const expiring = await createLink(owner, design.id, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await withDb((db) => db.query(`UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]));
    const late = await joinError(await makeUser(), expiring.token!);
    assert.deepEqual([late?.extensions?.code, late?.extensions?.reason], ['FORBIDDEN', 'EXPIRED']);
  });

  test('[SL5] revoking stops new joins but keeps who joined; only the owner revokes', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const early = await makeUser();
    const design = await makeDesign(owner);
    await share(owner, design.id, editor, 'EDITOR');
    const link = await createLink(owner, design.id, { role: 'EDITOR' });
    await ok(early, JOIN, { token: link.token });

    assert.equal(await errorCode(editor, REVOKE, { id: link.id }), 'FORBIDDEN');
    assert.equal(await errorCode(await makeUser(), REVOKE, { id: link.id }), 'NOT_FOUND');
    assert.equal((await ok(owner, REVOKE, { id: link.id })).revokeShareLink, link.id);
    assert.equal((await ok(owner, REVOKE, { id: link.id })).revokeShareLink, link.id, 'revoking twice is a no-op');

    assert.equal((await joinError(await makeUser(), link.token!))?.extensions?.code, 'NOT_FOUND');
    const kept = (await ok(early, LINKS, { d: design.id })).design;
    assert.ok(kept?.collaborators.some((c) => c.user.id === early.id && c.role === 'EDITOR'));
    assert.deepEqual((await ok(owner, LINKS, { d: design.id })).design!.shareLinks, []);
  });
});
