import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createServiceContext, inTransaction } from '../src/context';
import { addCollaborator } from '../src/services/collaborators/collaborators';
import { addComment } from '../src/services/comments/add-comment';
import { editComment } from '../src/services/comments/edit-comment';
import { replyToComment } from '../src/services/comments/reply-to-comment';
import { CollaboratorRole } from '../entities/enums';
import {
  addLayer,
  DESIGN_URL,
  errorCode,
  gql,
  makeDesign,
  makeUser,
  ok,
  okAsGateway,
  share,
  sqlStatementsSoFar,
  startDesignSubgraph,
  subscribe,
  withDb,
  type GraphQLError,
  type TestUser,
} from './helpers';
import { asUser, inProcessApp, makeDesignIn } from './in-process';

const ADD = `mutation($d: ID!, $input: AddCommentInput!) { addComment(designId: $d, input: $input) { id body revision mentions { id } layer { id } anchor { x y z } version { id } parent { id } } }`;
const REPLY = `mutation($id: ID!, $b: String!) { replyToComment(id: $id, body: $b) { id parent { id } } }`;
const EDIT = `mutation($id: ID!, $b: String!) { editComment(id: $id, body: $b) { id body editedAt mentions { id } } }`;
const DELETE = `mutation($id: ID!) { deleteComment(id: $id) }`;
const RESOLVE = `mutation($id: ID!, $r: Boolean!) { resolveComment(id: $id, resolved: $r) { id resolved resolvedBy { id } resolvedAt } }`;
const COMMENTS = `query($d: ID!, $first: Int, $after: String, $resolved: Boolean, $layerId: ID) {
  design(id: $d) { revision comments(first: $first, after: $after, resolved: $resolved, layerId: $layerId) {
    totalCount eventCursor pageInfo { hasNextPage endCursor }
    edges { node { id body resolved layer { id } replies { id body parent { id } } } } } } }`;
const EVENTS = `subscription($d: ID!, $after: String) { commentEvents(designId: $d, after: $after) { type cursor commentId parentId actor { id } comment { id body } } }`;

type AddResult = {
  addComment: {
    id: string;
    body: string;
    revision: number;
    mentions: { id: string }[];
    layer: { id: string } | null;
    anchor: { x: number; y: number; z: number } | null;
    version: { id: string } | null;
    parent: { id: string } | null;
  };
};
type Thread = {
  id: string;
  body: string;
  resolved: boolean;
  layer: { id: string } | null;
  replies: { id: string; body: string; parent: { id: string } }[];
};
type CommentsResult = {
  design: {
    revision: number;
    comments: {
      totalCount: number;
      eventCursor: string;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: Thread }[];
    };
  } | null;
};
type EventResult = {
  commentEvents: {
    type: string;
    cursor: string;
    commentId: string;
    parentId: string | null;
    actor: { id: string };
    comment: { id: string; body: string } | null;
  };
};

async function comment(user: TestUser, designId: string, input: Record<string, unknown> = {}) {
  return (await ok<AddResult>(user, ADD, { d: designId, input: { body: `Note ${randomUUID().slice(0, 8)}`, ...input } })).addComment;
}

const threadsOf = async (user: TestUser | null, designId: string, args: Record<string, unknown> = {}) =>
  (await ok<CommentsResult>(user, COMMENTS, { d: designId, ...args })).design;

async function publish(owner: TestUser, designId: string) {
  await ok(owner, `mutation($d: ID!) { publishDesign(id: $d) { id } }`, { d: designId });
}

async function setRole(owner: TestUser, designId: string, user: TestUser, role: string | null) {
  if (role === null)
    await ok(owner, `mutation($d: ID!, $u: ID!) { removeCollaborator(designId: $d, userId: $u) }`, { d: designId, u: user.id });
  else
    await ok(
      owner,
      `mutation($d: ID!, $u: ID!, $r: CollaboratorRole!) { updateCollaborator(designId: $d, userId: $u, role: $r) { role } }`,
      { d: designId, u: user.id, r: role },
    );
}

/** 'ok' when the call succeeded, else its error code. */
async function outcome(user: TestUser | null, query: string, variables: Record<string, unknown>): Promise<string> {
  const result = await gql(user, query, variables);
  return result.errors?.length ? (result.errors[0]!.extensions?.code ?? 'no code') : 'ok';
}

const ROLES = ['OWNER', 'EDITOR', 'COMMENTER', 'VIEWER', 'OTHER', 'ANONYMOUS'] as const;
type Role = (typeof ROLES)[number];
const VISIBILITIES = ['PRIVATE', 'SHARED', 'PUBLIC_PUBLISHED'] as const;
type Visibility = (typeof VISIBILITIES)[number];
const OPERATIONS = ['read', 'add', 'reply', 'editOwn', 'editOther', 'deleteOwn', 'deleteOther', 'resolveOwn', 'resolveOther'] as const;
type Operation = (typeof OPERATIONS)[number];

/** What the rules (CM1-CM4) say each caller gets: 'ok', an error code, or 'n/a' (an anonymous caller has no comments of its own). */
function expected(role: Role, visibility: Visibility, operation: Operation): string {
  const readable = role === 'ANONYMOUS' ? visibility === 'PUBLIC_PUBLISHED' : role === 'OTHER' ? visibility !== 'PRIVATE' : true;
  const commenter = role === 'OWNER' || role === 'EDITOR' || role === 'COMMENTER';
  if (operation === 'read') return readable ? 'ok' : 'NOT_FOUND';
  if (role === 'ANONYMOUS') return operation.endsWith('Own') ? 'n/a' : 'UNAUTHENTICATED';
  if (!readable) return 'NOT_FOUND';
  if (!commenter) return 'FORBIDDEN';
  switch (operation) {
    case 'editOther':
      return 'FORBIDDEN';
    case 'deleteOther':
      return role === 'OWNER' ? 'ok' : 'FORBIDDEN';
    case 'resolveOther':
      return role === 'OWNER' || role === 'EDITOR' ? 'ok' : 'FORBIDDEN';
    default:
      return 'ok';
  }
}

/** One design of `visibility` with a caller of every role, what each role gets for every operation. */
async function matrixRow(visibility: Visibility): Promise<Record<string, string>> {
  const owner = await makeUser();
  const author = await makeUser();
  const users: Record<Exclude<Role, 'ANONYMOUS' | 'OWNER'>, TestUser> = {
    EDITOR: await makeUser(),
    COMMENTER: await makeUser(),
    VIEWER: await makeUser(),
    OTHER: await makeUser(),
  };
  const { id } = await makeDesign(owner, { visibility: visibility === 'PUBLIC_PUBLISHED' ? 'PUBLIC' : visibility });
  if (visibility === 'PUBLIC_PUBLISHED') await publish(owner, id);
  await share(owner, id, author, 'COMMENTER');
  await share(owner, id, users.EDITOR, 'EDITOR');
  // VIEWER and OTHER write their own comments while they may (as commenters), then lose the role: CM2-CM4 say what is left to them.
  for (const role of ['COMMENTER', 'VIEWER', 'OTHER'] as const) await share(owner, id, users[role], 'COMMENTER');
  const callers: Record<Role, TestUser | null> = { OWNER: owner, ...users, ANONYMOUS: null };
  const own: Partial<Record<Role, { a: string; b: string }>> = {};
  const others: Partial<Record<Role, { a: string; b: string }>> = {};
  for (const role of ROLES) {
    const caller = callers[role];
    if (caller) own[role] = { a: (await comment(caller, id)).id, b: (await comment(caller, id)).id };
    others[role] = { a: (await comment(author, id)).id, b: (await comment(author, id)).id };
  }
  await setRole(owner, id, users.VIEWER, 'VIEWER');
  await setRole(owner, id, users.OTHER, null);

  const row: Record<string, string> = {};
  await Promise.all(
    ROLES.map(async (role) => {
      const caller = callers[role];
      const mine = own[role];
      const theirs = others[role]!;
      const read = await gql<CommentsResult>(caller, COMMENTS, { d: id });
      row[`${role} read`] = read.data?.design?.comments.totalCount ? 'ok' : read.errors ? 'error' : 'NOT_FOUND';
      row[`${role} add`] = await outcome(caller, ADD, { d: id, input: { body: 'Hello' } });
      row[`${role} reply`] = await outcome(caller, REPLY, { id: theirs.a, b: 'Agreed' });
      row[`${role} editOwn`] = mine ? await outcome(caller, EDIT, { id: mine.a, b: 'Edited' }) : 'n/a';
      row[`${role} editOther`] = await outcome(caller, EDIT, { id: theirs.a, b: 'Edited' });
      row[`${role} resolveOwn`] = mine ? await outcome(caller, RESOLVE, { id: mine.a, r: true }) : 'n/a';
      row[`${role} resolveOther`] = await outcome(caller, RESOLVE, { id: theirs.a, r: true });
      row[`${role} deleteOwn`] = mine ? await outcome(caller, DELETE, { id: mine.b }) : 'n/a';
      row[`${role} deleteOther`] = await outcome(caller, DELETE, { id: theirs.b });
    }),
  );
  return row;
}

describe('comments (docs/collaboration.md, Comments)', () => {
  const services = inProcessApp();

  test('[CM1] [CM2] [CM3] [CM4] the permission matrix: every role × visibility × operation', async () => {
    for (const visibility of VISIBILITIES) {
      const actual = await matrixRow(visibility);
      const wanted = Object.fromEntries(ROLES.flatMap((role) => OPERATIONS.map((op) => [`${role} ${op}`, expected(role, visibility, op)])));
      assert.deepEqual(actual, wanted, visibility);
    }
  });

  test('[CM1] a Comment resolves through _entities for readers of its design, and to null for anyone else', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const { id } = await makeDesign(owner);
    const c = await comment(owner, id, { body: 'Pinned' });
    type Entities = { _entities: ({ id: string; body: string; design: { id: string } } | null)[] };
    const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Comment { id body design { id } } } }`;
    const r = [{ __typename: 'Comment', id: c.id }];
    assert.deepEqual((await okAsGateway<Entities>(owner, QUERY, { r }))._entities, [{ id: c.id, body: 'Pinned', design: { id } }]);
    assert.deepEqual((await okAsGateway<Entities>(stranger, QUERY, { r }))._entities, [null]);
    assert.deepEqual((await okAsGateway<Entities>(null, QUERY, { r }))._entities, [null]);
  });

  test('no N+1: the SQL statements of Design.comments do not grow with threads, replies and pins', async () => {
    const QUERY = `query($d: ID!) { design(id: $d) { comments(first: 20) { totalCount eventCursor edges { node { id author { id } design { id } layer { id } version { id }
      mentions { id } replies { id parent { id } } } } } } }`;
    const measure = async (user: TestUser, designId: string) => {
      const before = await sqlStatementsSoFar();
      await ok(user, QUERY, { d: designId });
      return (await sqlStatementsSoFar()) - before;
    };
    const owner = await makeUser();
    const small = (await makeDesign(owner)).id;
    const smallLayer = await addLayer(owner, small);
    await ok(owner, REPLY, { id: (await comment(owner, small, { layerId: smallLayer.id })).id, b: 'Reply' });
    const large = (await makeDesign(owner)).id;
    const layers = [await addLayer(owner, large), await addLayer(owner, large)];
    for (let i = 0; i < 12; i++) {
      const thread = await comment(owner, large, { layerId: layers[i % 2]!.id });
      for (let j = 0; j < 2; j++) await ok(owner, REPLY, { id: thread.id, b: `Reply ${j}` });
    }
    const [one, many] = [await measure(owner, small), await measure(owner, large)];
    assert.equal(many, one, `1 thread: ${one} statements, 12 threads with 24 replies: ${many}`);
  });

  test('[CM6] threads are one level: a reply to a reply joins the thread; Design.comments lists threads with their replies, pages and filters', async () => {
    const owner = await makeUser();
    const commenter = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, commenter, 'COMMENTER');
    const layer = await addLayer(owner, id);
    const first = await comment(owner, id, { body: 'First', layerId: layer.id, anchor: { x: 0.1, y: 1.2, z: -0.05 } });
    assert.deepEqual(first.layer, { id: layer.id });
    assert.deepEqual(first.anchor, { x: 0.1, y: 1.2, z: -0.05 });
    const second = await comment(commenter, id, { body: 'Second' });
    const reply = (await ok<{ replyToComment: { id: string; parent: { id: string } } }>(commenter, REPLY, { id: first.id, b: 'Reply' }))
      .replyToComment;
    assert.equal(reply.parent.id, first.id);
    const nested = (
      await ok<{ replyToComment: { id: string; parent: { id: string } } }>(owner, REPLY, { id: reply.id, b: 'Reply to the reply' })
    ).replyToComment;
    assert.equal(nested.parent.id, first.id, 'a reply to a reply joins the thread of the first comment');

    const all = (await threadsOf(owner, id))!.comments;
    assert.equal(all.totalCount, 2, 'threads only');
    assert.deepEqual(
      all.edges.map((e) => [e.node.body, e.node.replies.map((r) => r.body)]),
      [
        ['Second', []],
        ['First', ['Reply', 'Reply to the reply']],
      ],
    );
    const page1 = (await threadsOf(owner, id, { first: 1 }))!.comments;
    assert.equal(page1.pageInfo.hasNextPage, true);
    const page2 = (await threadsOf(owner, id, { first: 1, after: page1.pageInfo.endCursor }))!.comments;
    assert.deepEqual([page1.edges[0]!.node.id, page2.edges[0]!.node.id], [second.id, first.id]);
    assert.equal(page2.pageInfo.hasNextPage, false);
    assert.equal(await errorCode(owner, COMMENTS, { d: id, first: 1, after: page1.pageInfo.endCursor, resolved: true }), 'BAD_USER_INPUT');

    assert.equal(await errorCode(commenter, RESOLVE, { id: reply.id, r: true }), 'BAD_USER_INPUT', 'replies are not resolved');
    await ok(commenter, RESOLVE, { id: second.id, r: true });
    assert.deepEqual(
      (await threadsOf(owner, id, { resolved: true }))!.comments.edges.map((e) => e.node.id),
      [second.id],
    );
    assert.deepEqual(
      (await threadsOf(owner, id, { resolved: false }))!.comments.edges.map((e) => e.node.id),
      [first.id],
    );
    assert.deepEqual(
      (await threadsOf(owner, id, { layerId: layer.id }))!.comments.edges.map((e) => e.node.id),
      [first.id],
    );

    // Deleting a reply takes it alone; deleting a thread's first comment takes its replies.
    await ok(owner, DELETE, { id: nested.id });
    assert.deepEqual(
      (await threadsOf(owner, id))!.comments.edges[1]!.node.replies.map((r) => r.id),
      [reply.id],
    );
    await ok(owner, DELETE, { id: first.id });
    const rows = await withDb((db) => db.query(`SELECT id FROM comments WHERE design_id = $1`, [id]));
    assert.deepEqual(
      rows.rows.map((r: { id: string }) => r.id),
      [second.id],
    );
  });

  test('[CM5] mentions: users who may read the design, else BAD_USER_INPUT naming them; at most 20', async () => {
    const owner = await makeUser();
    const viewer = await makeUser();
    const stranger = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, viewer, 'VIEWER');
    const c = await comment(owner, id, { body: `@[${viewer.id}] have a look, and @[${viewer.id}] again` });
    assert.deepEqual(c.mentions, [{ id: viewer.id }]);

    const refused = await gql(owner, ADD, { d: id, input: { body: `@[${viewer.id}] and @[${stranger.id}]` } });
    const error = refused.errors![0]!;
    assert.equal(error.extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(error.extensions?.userIds, [stranger.id]);
    assert.match(error.message, new RegExp(stranger.id));
    assert.equal(await errorCode(owner, EDIT, { id: c.id, b: `@[${stranger.id}]` }), 'BAD_USER_INPUT');
    assert.equal((await threadsOf(owner, id))!.comments.totalCount, 1, 'nothing written');

    const many = Array.from({ length: 21 }, () => `@[${randomUUID()}]`).join(' ');
    const { id: shared } = await makeDesign(owner, { visibility: 'SHARED' });
    assert.equal(await errorCode(owner, ADD, { d: shared, input: { body: many } }), 'BAD_USER_INPUT');
    // On a SHARED design every signed-in user may read, so anyone may be mentioned.
    assert.deepEqual((await comment(owner, shared, { body: `@[${stranger.id}]` })).mentions, [{ id: stranger.id }]);
  });

  test('[CM5] [CM6] the commands name who was newly mentioned and who was replied to, never the caller', async () => {
    const app = services.app();
    const owner = asUser(app);
    const commenterId = randomUUID();
    const viewerId = randomUUID();
    const design = await makeDesignIn(owner);
    await inTransaction(owner, (tx) => addCollaborator(tx, { designId: design.id, userId: commenterId, role: CollaboratorRole.COMMENTER }));
    await inTransaction(owner, (tx) => addCollaborator(tx, { designId: design.id, userId: viewerId, role: CollaboratorRole.VIEWER }));
    const commenter = createServiceContext(app, { userId: commenterId, tier: 'pro' });

    const added = await inTransaction(owner, (tx) =>
      addComment(tx, { designId: design.id, body: `@[${viewerId}] @[${owner.viewer!.userId}]` }),
    );
    assert.deepEqual(added.mentionedUserIds, [viewerId], 'the author mentioning themselves is no one to tell');
    const reply = await inTransaction(commenter, (tx) => replyToComment(tx, { commentId: added.comment.id, body: 'Yes' }));
    assert.equal(reply.repliedToUserId, owner.viewer!.userId);
    const own = await inTransaction(owner, (tx) => replyToComment(tx, { commentId: added.comment.id, body: 'Mine' }));
    assert.equal(own.repliedToUserId, null);
    const nested = await inTransaction(owner, (tx) => replyToComment(tx, { commentId: reply.comment.id, body: 'To the reply' }));
    assert.equal(nested.repliedToUserId, commenterId, 'the author of the comment named');
    const edited = await inTransaction(owner, (tx) =>
      editComment(tx, { commentId: added.comment.id, body: `@[${viewerId}] @[${commenterId}]` }),
    );
    assert.deepEqual(edited.mentionedUserIds, [commenterId], 'only mentions the body did not carry before');
  });

  test('[CM7] bodies are 1 to 5000 characters of text; pins must be of the design', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const { id: other } = await makeDesign(owner);
    const foreign = await addLayer(owner, other);
    for (const body of ['', '   \n', 'x'.repeat(5001), 'a\u0000b']) {
      assert.equal(await errorCode(owner, ADD, { d: id, input: { body } }), 'BAD_USER_INPUT', JSON.stringify(body.slice(0, 10)));
    }
    assert.equal((await comment(owner, id, { body: '😀'.repeat(5000) })).body.length, 10000, '5000 characters, not bytes or UTF-16 units');
    assert.equal(await errorCode(owner, ADD, { d: id, input: { body: 'x', layerId: foreign.id } }), 'BAD_USER_INPUT');
    for (const layerId of ['not-a-uuid', '']) {
      assert.equal(await errorCode(owner, ADD, { d: id, input: { body: 'x', layerId } }), 'BAD_USER_INPUT', `layerId ${layerId}`);
    }
    assert.equal(await errorCode(owner, ADD, { d: id, input: { body: 'x', versionId: randomUUID() } }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(owner, ADD, { d: id, input: { body: 'x', anchor: { x: 1e9, y: 0, z: 0 } } }), 'BAD_USER_INPUT');
    const versions = await ok<{ design: { versions: { edges: { node: { id: string } }[] } } }>(
      owner,
      `query($d: ID!) { design(id: $d) { versions { edges { node { id } } } } }`,
      { d: id },
    );
    const versionId = versions.design.versions.edges[0]!.node.id;
    assert.deepEqual((await comment(owner, id, { versionId })).version, { id: versionId });
  });

  test('[CM7] a design holds at most LIMIT_COMMENTS_PER_DESIGN comments and replies', async () => {
    const limited = await startDesignSubgraph({ LIMIT_COMMENTS_PER_DESIGN: '2' });
    try {
      const owner = await makeUser();
      const { id } = await makeDesign(owner);
      const first = await gql<AddResult>(owner, ADD, { d: id, input: { body: 'one' } }, limited.url);
      await gql(owner, REPLY, { id: first.data!.addComment.id, b: 'two' }, limited.url);
      const third = await gql(owner, ADD, { d: id, input: { body: 'three' } }, limited.url);
      assert.equal(third.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
      const reply = await gql(owner, REPLY, { id: first.data!.addComment.id, b: 'three' }, limited.url);
      assert.equal(reply.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    } finally {
      await limited.stop();
    }
  });

  test('[CM8] a comment pinned to a removed layer stays, its layer reads null, and again when undo brings the layer back', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const c = await comment(owner, id, { layerId: layer.id });
    await ok(owner, `mutation($id: ID!) { removeLayer(id: $id) { id } }`, { id: layer.id });
    const after = (await threadsOf(owner, id))!.comments.edges.map((e) => e.node);
    assert.deepEqual(
      after.map((n) => [n.id, n.layer]),
      [[c.id, null]],
    );
    await ok(owner, `mutation($d: ID!) { undo(designId: $d) { revision } }`, { d: id });
    assert.deepEqual((await threadsOf(owner, id))!.comments.edges[0]!.node.layer, { id: layer.id });
  });

  test('[CM8] comments stay on restore, a fork starts without them, deleting the design deletes them', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await addLayer(owner, id);
    const c = await comment(owner, id);
    await ok(owner, `mutation($d: ID!) { restoreVersion(designId: $d, version: 1) { id } }`, { d: id });
    assert.deepEqual(
      (await threadsOf(owner, id))!.comments.edges.map((e) => e.node.id),
      [c.id],
    );
    const fork = await ok<{ forkDesign: { id: string } }>(owner, `mutation($d: ID!) { forkDesign(id: $d) { id } }`, { d: id });
    assert.equal((await threadsOf(owner, fork.forkDesign.id))!.comments.totalCount, 0);
    assert.equal((await threadsOf(owner, id))!.comments.totalCount, 1);
    await ok(owner, `mutation($d: ID!) { deleteDesign(id: $d) }`, { d: id });
    const left = await withDb((db) =>
      db.query(
        `SELECT (SELECT count(*) FROM comments WHERE design_id = $1)::int AS comments, (SELECT count(*) FROM comment_events WHERE design_id = $1)::int AS events`,
        [id],
      ),
    );
    assert.deepEqual(left.rows[0], { comments: 0, events: 0 });
  });

  test('[CM9] comments do not move the revision, stay out of the change log and undo, and are not served from the answer cache', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    await addLayer(owner, id);
    const history = `query($d: ID!) { design(id: $d) { revision canUndo history { totalCount } } }`;
    type History = { design: { revision: number; canUndo: boolean; history: { totalCount: number } } };
    const before = (await ok<History>(owner, history, { d: id })).design;
    assert.equal((await threadsOf(owner, id))!.comments.totalCount, 0);
    const c = await comment(owner, id);
    assert.equal(c.revision, before.revision, 'written against the current revision');
    assert.equal((await threadsOf(owner, id))!.comments.totalCount, 1, 'the same revision, a new answer');
    await ok(owner, EDIT, { id: c.id, b: 'Changed' });
    await ok(owner, RESOLVE, { id: c.id, r: true });
    await ok(owner, REPLY, { id: c.id, b: 'Reply' });
    assert.deepEqual((await ok<History>(owner, history, { d: id })).design, before);
    await ok(owner, `mutation($d: ID!) { undo(designId: $d) { revision } }`, { d: id });
    const [thread] = (await threadsOf(owner, id))!.comments.edges;
    assert.deepEqual(
      [thread!.node.body, thread!.node.resolved, thread!.node.replies.length],
      ['Changed', true, 1],
      'undo reverted the layer, not the comments',
    );
  });

  test('[CM10] commentEvents replays after a cursor, then goes live, with no gap and no duplicate, across replicas', async () => {
    const second = await startDesignSubgraph();
    try {
      const owner = await makeUser();
      const commenter = await makeUser();
      const { id } = await makeDesign(owner);
      await share(owner, id, commenter, 'COMMENTER');
      const start = (await threadsOf(commenter, id))!.comments.eventCursor;
      const first = subscribe<EventResult>(DESIGN_URL, commenter, EVENTS, { d: id, after: start });
      const a = await comment(owner, id, { body: 'A' });
      await first.waitFor(1);
      const b = await comment(commenter, id, { body: 'B' });
      await first.waitFor(2);
      await first.close();
      const events = first.results.map((r) => r.data!.commentEvents);
      assert.deepEqual(
        events.map((e) => [e.type, e.commentId, e.actor.id]),
        [
          ['ADDED', a.id, owner.id],
          ['ADDED', b.id, commenter.id],
        ],
      );

      // Missed while away: an edit, a reply, a deletion.
      await ok(owner, EDIT, { id: a.id, b: 'A, edited' });
      const reply = (await ok<{ replyToComment: { id: string } }>(owner, REPLY, { id: b.id, b: 'Reply' })).replyToComment;
      await ok(commenter, DELETE, { id: b.id });

      const resumed = subscribe<EventResult>(second.url, commenter, EVENTS, { d: id, after: events[0]!.cursor });
      // Writers race the replay: each event must still arrive once, in order.
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => comment(i % 2 ? owner : commenter, id, { body: `R${i}` })));
      await resumed.waitFor(4 + 10);
      const got = resumed.results.map((r) => r.data!.commentEvents);
      assert.deepEqual(
        got.slice(0, 4).map((e) => [e.type, e.commentId, e.parentId]),
        [
          ['ADDED', b.id, null],
          ['EDITED', a.id, null],
          ['ADDED', reply.id, b.id],
          ['DELETED', b.id, null],
        ],
      );
      assert.equal(got[0]!.comment, null, 'a deleted comment reads null, even in a replay');
      assert.deepEqual(got[1]!.comment, { id: a.id, body: 'A, edited' }, 'the comment as it is now');
      assert.deepEqual(new Set(got.slice(4).map((e) => e.commentId)), new Set(racing.map((c) => c.id)));
      assert.equal(new Set(got.map((e) => e.cursor)).size, got.length, 'no duplicate');
      const live = await comment(owner, id, { body: 'Live' });
      await resumed.waitFor(15);
      assert.equal(resumed.results[14]!.data!.commentEvents.commentId, live.id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(resumed.results.length, 15, 'nothing twice');

      // The same cursor again gives the same events in the same order.
      const again = subscribe<EventResult>(DESIGN_URL, owner, EVENTS, { d: id, after: events[0]!.cursor });
      await again.waitFor(15);
      assert.deepEqual(
        again.results.map((r) => r.data!.commentEvents.cursor),
        resumed.results.map((r) => r.data!.commentEvents.cursor),
      );

      const bad = subscribe<EventResult>(DESIGN_URL, owner, EVENTS, { d: id, after: 'bm90IGEgY3Vyc29y' });
      await bad.ended;
      assert.equal(
        bad.results[0]?.errors?.[0]?.extensions?.code ?? ((await bad.ended).error as GraphQLError[])[0]!.extensions?.code,
        'BAD_USER_INPUT',
      );
    } finally {
      await second.stop();
    }
  });

  test('[CM11] a reader who loses access stops receiving commentEvents (NOT_FOUND); deletion of the design completes the stream', async () => {
    const owner = await makeUser();
    const commenter = await makeUser();
    const stranger = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, commenter, 'COMMENTER');
    const hidden = subscribe<EventResult>(DESIGN_URL, stranger, EVENTS, { d: id });
    const refused = await hidden.ended;
    assert.equal(hidden.results[0]?.errors?.[0]?.extensions?.code ?? (refused.error as GraphQLError[])[0]!.extensions?.code, 'NOT_FOUND');

    const start = (await threadsOf(owner, id))!.comments.eventCursor;
    const sub = subscribe<EventResult>(DESIGN_URL, commenter, EVENTS, { d: id, after: start });
    const watcher = subscribe<EventResult>(DESIGN_URL, owner, EVENTS, { d: id, after: start });
    await comment(owner, id, { body: 'Before' });
    await sub.waitFor(1);
    await setRole(owner, id, commenter, null);
    await comment(owner, id, { body: 'After' });
    const { error } = await sub.ended;
    assert.equal((error as GraphQLError[])[0]!.extensions?.code, 'NOT_FOUND');
    assert.deepEqual(
      sub.results.map((r) => r.data!.commentEvents.comment?.body),
      ['Before'],
    );
    await watcher.waitFor(2);
    await ok(owner, `mutation($d: ID!) { deleteDesign(id: $d) }`, { d: id });
    assert.deepEqual(await watcher.ended, {});
  });
});
