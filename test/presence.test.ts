import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  addLayer,
  gql,
  graphql,
  makeDesign,
  makeUser,
  pollUntil,
  share,
  startDesignSubgraph,
  subscribe,
  type GraphQLResponse,
  type Subscription,
  type TestUser,
} from './helpers';
import { asUser, inProcessApp, makeDesignIn, recordEvents } from './in-process';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import type { PresenceMessage } from '../src/events/presence-event';
import { expirePresence } from '../src/services/presence/expire-presence';
import { leaveDesign } from '../src/services/presence/leave-design';
import { presenceOf } from '../src/services/presence/list-presence';
import { updatePresence } from '../src/services/presence/update-presence';

/** Short enough for expiry to be tested, long enough that nothing else expires by accident. */
const TTL_MS = 3000;
const MAX_SESSIONS = 3;
const MAX_PER_DESIGN = 5;

const UPDATE = graphql(`
  mutation ($d: ID!, $s: ID!, $input: PresenceInput!) {
    updatePresence(designId: $d, sessionId: $s, input: $input) {
      user {
        id
      }
      sessionId
      role
      selectedLayerIds
      camera {
        position {
          x
          y
          z
        }
        target {
          x
        }
        fov
      }
      color
      lastSeenAt
    }
  }
`);
const LEAVE = graphql(`
  mutation ($d: ID!, $s: ID!) {
    leaveDesign(designId: $d, sessionId: $s)
  }
`);
const PRESENCE = graphql(`
  query ($d: ID!) {
    design(id: $d) {
      id
      presence {
        user {
          id
        }
        sessionId
        role
        color
        lastSeenAt
      }
    }
  }
`);
const WATCH = graphql(`
  subscription ($d: ID!, $s: ID) {
    presenceChanged(designId: $d, sessionId: $s) {
      type
      entry {
        user {
          id
        }
        sessionId
        role
        color
        selectedLayerIds
      }
      present {
        sessionId
      }
    }
  }
`);

type Watched = GraphQLResponse<{
  presenceChanged: {
    type: string;
    entry: { user: { id: string }; sessionId: string; role: string | null; color: string | null; selectedLayerIds: string[] };
    present: { sessionId: string }[];
  };
}>;

const session = () => randomUUID();
const changesOf = (watch: Subscription<unknown>) =>
  (watch.results as Watched[]).map((r) => {
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const { type, entry, present } = r.data!.presenceChanged;
    return { type, sessionId: entry.sessionId, present: present.map((p) => p.sessionId).sort() };
  });
const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.code;

/** The code a subscription ended with: refused at its start (a result with errors), or failed later (the error). */
async function endCode(watch: Subscription<unknown>): Promise<string | undefined> {
  const end = await watch.ended;
  const refused = watch.results.find((r) => r.errors);
  return refused ? codeOf(refused) : (end.error as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code;
}

/**
 * Until each watcher has had an event it is not known to be listening: presence is not replayed, so
 * a watcher must be live before what it is to see happens. Sessions of the owner's join and leave
 * until every watcher saw one; then one more, whose LEFT is the last thing dropped.
 */
async function live(watches: Subscription<unknown>[], owner: TestUser, designId: string, url: string): Promise<void> {
  const probe = async () => {
    const s = session();
    await gql(owner, UPDATE, { d: designId, s, input: {} }, url);
    await gql(owner, LEAVE, { d: designId, s }, url);
    return s;
  };
  for (let attempt = 0; attempt < 50 && watches.some((w) => w.results.length === 0); attempt++) {
    await probe();
    await new Promise((r) => setTimeout(r, 100));
  }
  const last = await probe();
  const sawLast = (w: Subscription<unknown>) =>
    (w.results as Watched[]).some((r) => r.data?.presenceChanged.type === 'LEFT' && r.data.presenceChanged.entry.sessionId === last);
  for (let i = 0; i < 100 && !watches.every(sawLast); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(watches.every(sawLast), 'every watcher is live');
  for (const watch of watches) watch.results.length = 0;
}

describe('presence (docs/collaboration.md PR1-PR6)', () => {
  let a: Awaited<ReturnType<typeof startDesignSubgraph>>;
  let b: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    // Two replicas of their own on one Redis prefix, with a short TTL; the stack's subgraph has another prefix.
    const env = {
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}presence-${randomUUID().slice(0, 8)}:`,
      PRESENCE_TTL_MS: String(TTL_MS),
      PRESENCE_MAX_SESSIONS_PER_USER: String(MAX_SESSIONS),
      PRESENCE_MAX_SESSIONS_PER_DESIGN: String(MAX_PER_DESIGN),
    };
    [a, b] = await Promise.all([startDesignSubgraph(env), startDesignSubgraph(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test('[PR1] [PR3] join, update, heartbeat and leave: seen by a subscriber, and in Design.presence', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const layer = await addLayer(owner, id);
    const watch = subscribe(a.url, owner, WATCH, { d: id });
    await live([watch], owner, id, a.url);
    const s = session();

    const joined = await gql(owner, UPDATE, { d: id, s, input: { color: '#ff0000' } }, a.url);
    assert.equal(joined.errors, undefined, JSON.stringify(joined.errors));
    assert.deepEqual(
      { ...joined.data!.updatePresence, lastSeenAt: undefined },
      {
        user: { id: owner.id },
        sessionId: s,
        role: 'OWNER',
        selectedLayerIds: [],
        camera: null,
        color: '#ff0000',
        lastSeenAt: undefined,
      },
    );
    const camera = { position: { x: 1, y: 2, z: 3 }, target: { x: 0, y: 1, z: 0 }, fov: 40 };
    const updated = await gql(owner, UPDATE, { d: id, s, input: { selectedLayerIds: [layer.id], camera } }, a.url);
    assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
    assert.deepEqual(updated.data!.updatePresence.selectedLayerIds, [layer.id]);
    assert.equal(updated.data!.updatePresence.color, '#ff0000', 'a field left out keeps its value');
    // A camera merges part by part with the session's.
    const moved = await gql(owner, UPDATE, { d: id, s, input: { camera: { fov: 60 } } }, a.url);
    assert.deepEqual(moved.data!.updatePresence.camera, { position: { x: 1, y: 2, z: 3 }, target: { x: 0 }, fov: 60 });
    // A heartbeat changes nothing others see: lastSeenAt moves, no event.
    const before = Date.parse(moved.data!.updatePresence.lastSeenAt);
    await new Promise((r) => setTimeout(r, 20));
    const beat = await gql(owner, UPDATE, { d: id, s, input: {} }, a.url);
    assert.ok(Date.parse(beat.data!.updatePresence.lastSeenAt) > before);

    const listed = await gql(owner, PRESENCE, { d: id }, a.url);
    assert.deepEqual(
      listed.data!.design!.presence.map((p) => [p.user.id, p.sessionId, p.role, p.color]),
      [[owner.id, s, 'OWNER', '#ff0000']],
    );
    const left = await gql(owner, LEAVE, { d: id, s }, a.url);
    assert.equal(left.data!.leaveDesign, true);
    assert.equal((await gql(owner, LEAVE, { d: id, s }, a.url)).data!.leaveDesign, false, 'gone already');

    await watch.waitFor(4);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(changesOf(watch), [
      { type: 'JOINED', sessionId: s, present: [s] },
      { type: 'UPDATED', sessionId: s, present: [s] },
      { type: 'UPDATED', sessionId: s, present: [s] },
      { type: 'LEFT', sessionId: s, present: [] },
    ]);
    assert.deepEqual((await gql(owner, PRESENCE, { d: id }, a.url)).data!.design!.presence, []);
  });

  test('[PR5] two replicas see each other’s sessions and events', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, editor, 'EDITOR');
    const onA = subscribe(a.url, owner, WATCH, { d: id });
    const onB = subscribe(b.url, editor, WATCH, { d: id });
    await live([onA, onB], owner, id, b.url);

    const [sa, sb] = [session(), session()];
    assert.equal((await gql(owner, UPDATE, { d: id, s: sa, input: {} }, a.url)).errors, undefined);
    assert.equal((await gql(editor, UPDATE, { d: id, s: sb, input: { color: '#00ff00' } }, b.url)).errors, undefined);
    for (const url of [a.url, b.url]) {
      const listed = await gql(owner, PRESENCE, { d: id }, url);
      assert.deepEqual(
        listed.data!.design!.presence.map((p) => [p.sessionId, p.role]).sort(),
        [
          [sa, 'OWNER'],
          [sb, 'EDITOR'],
        ].sort(),
      );
    }
    await Promise.all([onA.waitFor(2), onB.waitFor(2)]);
    const both = [sa, sb].sort();
    for (const watch of [onA, onB]) {
      assert.deepEqual(changesOf(watch), [
        { type: 'JOINED', sessionId: sa, present: [sa] },
        { type: 'JOINED', sessionId: sb, present: both },
      ]);
    }
    await gql(owner, LEAVE, { d: id, s: sa }, b.url);
    await gql(editor, LEAVE, { d: id, s: sb }, a.url);
  });

  test('[PR4] a session not updated within PRESENCE_TTL_MS leaves with exactly one LEFT, whichever replica sweeps', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const onA = subscribe(a.url, owner, WATCH, { d: id });
    const onB = subscribe(b.url, owner, WATCH, { d: id });
    await live([onA, onB], owner, id, a.url);
    const s = session();
    const joinedAt = Date.now();
    await gql(owner, UPDATE, { d: id, s, input: {} }, b.url);
    await Promise.all([onA.waitFor(2, TTL_MS + 5000), onB.waitFor(2, TTL_MS + 5000)]);
    const leftAfter = Date.now() - joinedAt;
    assert.ok(leftAfter >= TTL_MS - 100, `left after ${leftAfter} ms`);
    // Long enough for every replica to have swept several times more.
    await new Promise((r) => setTimeout(r, 1500));
    for (const watch of [onA, onB]) {
      assert.deepEqual(changesOf(watch), [
        { type: 'JOINED', sessionId: s, present: [s] },
        { type: 'LEFT', sessionId: s, present: [] },
      ]);
    }
    assert.deepEqual((await gql(owner, PRESENCE, { d: id }, a.url)).data!.design!.presence, []);
    assert.equal((await gql(owner, LEAVE, { d: id, s }, a.url)).data!.leaveDesign, false);
  });

  test('[PR3] a session held by presenceChanged leaves at once when its socket closes', async () => {
    const owner = await makeUser();
    const viewer = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, viewer, 'VIEWER');
    const watch = subscribe(a.url, owner, WATCH, { d: id });
    const s = session();
    const holder = subscribe(b.url, viewer, WATCH, { d: id, s });
    await live([watch, holder], owner, id, a.url);
    await gql(viewer, UPDATE, { d: id, s, input: {} }, b.url);
    await watch.waitFor(1);
    const closedAt = Date.now();
    await holder.close();
    await watch.waitFor(2, 2000);
    const leftAfter = Date.now() - closedAt;
    assert.ok(leftAfter < TTL_MS / 2, `LEFT ${leftAfter} ms after the socket closed`);
    assert.deepEqual(changesOf(watch), [
      { type: 'JOINED', sessionId: s, present: [s] },
      { type: 'LEFT', sessionId: s, present: [] },
    ]);
    assert.equal((watch.results[0] as Watched).data!.presenceChanged.entry.role, 'VIEWER');
  });

  test('[PR2] a session is its creator’s: another user cannot update, remove or hold it', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, editor, 'EDITOR');
    const s = session();
    await gql(owner, UPDATE, { d: id, s, input: { color: '#123456' } }, a.url);
    assert.equal(codeOf(await gql(editor, UPDATE, { d: id, s, input: { color: '#654321' } }, b.url)), 'FORBIDDEN');
    assert.equal(codeOf(await gql(editor, LEAVE, { d: id, s }, a.url)), 'FORBIDDEN');
    const held = subscribe(a.url, editor, WATCH, { d: id, s });
    assert.equal(await endCode(held), 'FORBIDDEN');
    // Someone who may not read the design learns nothing of it.
    const stranger = await makeUser();
    assert.equal(codeOf(await gql(stranger, LEAVE, { d: id, s }, a.url)), 'NOT_FOUND');
    const listed = await gql(owner, PRESENCE, { d: id }, b.url);
    assert.deepEqual(
      listed.data!.design!.presence.map((p) => [p.user.id, p.color]),
      [[owner.id, '#123456']],
    );
    await gql(owner, LEAVE, { d: id, s }, a.url);
  });

  test('[PR2] limits and validation: session id, colour, selection, camera, sessions per user and per design', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'SHARED' });
    const other = await makeDesign(owner);
    const foreignLayer = await addLayer(owner, other.id);
    const s = session();
    const refused = async (sessionId: string, input: Record<string, unknown>) => {
      const result = await gql(owner, UPDATE, { d: id, s: sessionId, input }, a.url);
      return [codeOf(result), result.errors?.[0]?.extensions?.field];
    };
    assert.deepEqual(await refused('short', {}), ['BAD_USER_INPUT', 'sessionId']);
    assert.deepEqual(await refused('x'.repeat(65), {}), ['BAD_USER_INPUT', 'sessionId']);
    assert.deepEqual(await refused('has spaces in it', {}), ['BAD_USER_INPUT', 'sessionId']);
    assert.deepEqual(await refused(s, { color: 'red' }), ['BAD_USER_INPUT', 'input.color']);
    assert.deepEqual(await refused(s, { color: '#12345' }), ['BAD_USER_INPUT', 'input.color']);
    assert.deepEqual(await refused(s, { selectedLayerIds: [foreignLayer.id] }), ['BAD_USER_INPUT', 'input.selectedLayerIds']);
    assert.deepEqual(await refused(s, { selectedLayerIds: ['not-a-layer'] }), ['BAD_USER_INPUT', 'input.selectedLayerIds']);
    const tooMany = Array.from({ length: 501 }, () => randomUUID());
    assert.deepEqual(await refused(s, { selectedLayerIds: tooMany }), ['BAD_USER_INPUT', 'input.selectedLayerIds']);
    assert.deepEqual(await refused(s, { camera: { fov: 50 } }), ['BAD_USER_INPUT', 'input.camera']);
    const [code] = await refused(s, { camera: { position: { x: 0, y: 0, z: 0 }, target: { x: 0, y: 0, z: 1 }, fov: 500 } });
    assert.equal(code, 'BAD_USER_INPUT');
    assert.deepEqual((await gql(owner, PRESENCE, { d: id }, a.url)).data!.design!.presence, [], 'nothing refused was written');

    const sessions = Array.from({ length: MAX_SESSIONS }, () => session());
    for (const [i, sessionId] of sessions.entries()) {
      const result = await gql(owner, UPDATE, { d: id, s: sessionId, input: {} }, i % 2 ? a.url : b.url);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    }
    assert.equal(codeOf(await gql(owner, UPDATE, { d: id, s, input: {} }, a.url)), 'LIMIT_EXCEEDED');
    // Another design, or another user, counts apart; a session that left frees its place.
    assert.equal((await gql(owner, UPDATE, { d: other.id, s, input: {} }, a.url)).errors, undefined);
    await gql(owner, LEAVE, { d: id, s: sessions[0] }, b.url);
    assert.equal((await gql(owner, UPDATE, { d: id, s, input: {} }, a.url)).errors, undefined);

    // The design's own limit, whoever holds the sessions: 3 of the owner's, 2 of a reader's, then full.
    const [reader, late] = [await makeUser(), await makeUser()];
    const readerSessions = [session(), session()];
    for (const sessionId of readerSessions)
      assert.equal((await gql(reader, UPDATE, { d: id, s: sessionId, input: {} }, b.url)).errors, undefined);
    const full = await gql(late, UPDATE, { d: id, s: session(), input: {} }, a.url);
    assert.equal(codeOf(full), 'LIMIT_EXCEEDED');
    assert.match(full.errors![0]!.message, /PRESENCE_MAX_SESSIONS_PER_DESIGN/);
    assert.equal((await gql(owner, PRESENCE, { d: id }, a.url)).data!.design!.presence.length, MAX_PER_DESIGN);
    // Updating a session already there is no new session.
    assert.equal((await gql(reader, UPDATE, { d: id, s: readerSessions[0], input: { color: '#000000' } }, a.url)).errors, undefined);

    for (const sessionId of [...sessions.slice(1), s]) await gql(owner, LEAVE, { d: id, s: sessionId }, a.url);
    for (const sessionId of readerSessions) await gql(reader, LEAVE, { d: id, s: sessionId }, a.url);
    await gql(owner, LEAVE, { d: other.id, s }, a.url);
  });

  test('[PR6] a reader who loses access stops receiving, and the session it held leaves; deleting the design completes the watch', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, reader, 'COMMENTER');
    const ownerWatch = subscribe(a.url, owner, WATCH, { d: id });
    const s = session();
    const readerWatch = subscribe(b.url, reader, WATCH, { d: id, s });
    await live([ownerWatch, readerWatch], owner, id, a.url);
    assert.equal((await gql(reader, UPDATE, { d: id, s, input: {} }, b.url)).errors, undefined);
    await Promise.all([ownerWatch.waitFor(1), readerWatch.waitFor(1)]);

    const removed = await gql(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          removeCollaborator(designId: $d, userId: $u)
        }
      `),
      { d: id, u: reader.id },
      a.url,
    );
    assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
    assert.equal(await endCode(readerWatch), 'NOT_FOUND');
    // At once, not when its time runs out.
    await ownerWatch.waitFor(2, TTL_MS / 2);
    assert.deepEqual(changesOf(ownerWatch), [
      { type: 'JOINED', sessionId: s, present: [s] },
      { type: 'LEFT', sessionId: s, present: [] },
    ]);
    const seen = readerWatch.results.length;
    await gql(owner, UPDATE, { d: id, s: session(), input: {} }, b.url);
    await ownerWatch.waitFor(3);
    assert.equal(readerWatch.results.length, seen, 'nothing more after access is lost');
    assert.equal(codeOf(await gql(reader, UPDATE, { d: id, s, input: {} }, a.url)), 'NOT_FOUND');

    // The design deleted: the owner's watch completes, without an error.
    const deleted = await gql(owner, 'mutation($d: ID!) { deleteDesign(id: $d) }', { d: id }, b.url);
    assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
    assert.deepEqual(await ownerWatch.ended, {});
  });

  test('[PR1] anonymous callers cannot appear; readers who are not collaborators appear with no role; others get NOT_FOUND', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { visibility: 'PUBLIC' });
    const published = await gql(owner, 'mutation($d: ID!) { publishDesign(id: $d) { id } }', { d: id }, a.url);
    assert.equal(published.errors, undefined, JSON.stringify(published.errors));
    const s = session();
    assert.equal(codeOf(await gql(null, UPDATE, { d: id, s, input: {} }, a.url)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await gql(null, LEAVE, { d: id, s }, a.url)), 'UNAUTHENTICATED');
    const held = subscribe(a.url, null, WATCH, { d: id, s });
    assert.equal(await endCode(held), 'UNAUTHENTICATED');

    // A signed-in reader of a public design appears with no role; an anonymous reader sees them.
    const passer = await makeUser();
    const joined = await gql(passer, UPDATE, { d: id, s, input: {} }, a.url);
    assert.equal(joined.errors, undefined, JSON.stringify(joined.errors));
    assert.equal(joined.data!.updatePresence.role, null);
    const seen = await gql(null, PRESENCE, { d: id }, b.url);
    assert.deepEqual(
      seen.data!.design!.presence.map((p) => [p.user.id, p.role]),
      [[passer.id, null]],
    );
    await gql(passer, LEAVE, { d: id, s }, a.url);

    const secret = await makeDesign(owner);
    assert.equal(codeOf(await gql(passer, UPDATE, { d: secret.id, s, input: {} }, a.url)), 'NOT_FOUND');
    assert.equal(codeOf(await gql(passer, UPDATE, { d: 'not-a-uuid', s, input: {} }, a.url)), 'NOT_FOUND');
    const hidden = subscribe(a.url, passer, WATCH, { d: secret.id });
    assert.equal(await endCode(hidden), 'NOT_FOUND');
  });

  test('[PR1] Design.presence is never served from the answer cache', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const read = async () => (await gql(owner, PRESENCE, { d: id }, a.url)).data!.design!.presence.length;
    assert.equal(await read(), 0);
    assert.equal(await read(), 0);
    const s = session();
    await gql(owner, UPDATE, { d: id, s, input: {} }, a.url);
    assert.equal(await read(), 1, 'the revision did not move, the answer did');
    await gql(owner, LEAVE, { d: id, s }, a.url);
    assert.equal(await read(), 0);
  });
});

describe('presence while Redis is away (PR5)', () => {
  let redis: PrivateRedis;
  let subgraph: Awaited<ReturnType<typeof startDesignSubgraph>>;
  before(async () => {
    redis = await startPrivateRedis();
    subgraph = await startDesignSubgraph({ REDIS_URL: redis.url, PRESENCE_TTL_MS: String(TTL_MS) });
  });
  after(async () => {
    await subgraph?.stop();
    await redis?.stop();
  });

  test('[PR5] with Redis away the presence mutations, Design.presence and presenceChanged fail at once with SERVICE_UNAVAILABLE', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const s = session();
    assert.equal((await gql(owner, UPDATE, { d: id, s, input: {} }, subgraph.url)).errors, undefined);
    await redis.stop();
    try {
      const calls = [
        () => gql(owner, UPDATE, { d: id, s, input: { color: '#abcdef' } }, subgraph.url),
        () => gql(owner, LEAVE, { d: id, s }, subgraph.url),
        () => gql(owner, PRESENCE, { d: id }, subgraph.url),
      ];
      for (const call of calls) {
        const started = Date.now();
        const result = await call();
        assert.equal(codeOf(result), 'SERVICE_UNAVAILABLE', JSON.stringify(result));
        assert.equal(result.errors![0]!.extensions!.retryable, true);
        assert.ok(Date.now() - started < 2500, `answered after ${Date.now() - started} ms`);
      }
      const watch = subscribe(subgraph.url, owner, WATCH, { d: id });
      assert.equal(await endCode(watch), 'SERVICE_UNAVAILABLE');
    } finally {
      await redis.start();
    }
    // Back: presence works again (the private Redis came back empty).
    const again = await pollUntil(
      () => gql(owner, UPDATE, { d: id, s, input: {} }, subgraph.url),
      (result) => result.errors === undefined,
    );
    assert.equal(again.data!.updatePresence.sessionId, s);
  });
});

describe('presence expiry claimed once (PR4)', () => {
  // A Redis prefix no replica sweeps: only the sweeps below run.
  const { app } = inProcessApp({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}presence-claim-${randomUUID().slice(0, 8)}:` });

  test('[PR4] ten sweeps racing over the same expired sessions: each leaves once, with one LEFT', async () => {
    const owner = asUser(app());
    const design = await makeDesignIn(owner);
    const sessions = [session(), session(), session()];
    for (const sessionId of sessions) await updatePresence(owner, { designId: design.id, sessionId, input: {} });
    const recorded = await recordEvents(app(), design.id);
    try {
      const later = Date.now() + app().config.presence.ttlMs + 1;
      const left = await Promise.all(Array.from({ length: 10 }, () => expirePresence(app(), later)));
      assert.equal(
        left.reduce((sum, n) => sum + n, 0),
        sessions.length,
      );
      await pollUntil(
        async () => recorded.events.length,
        (n) => n >= sessions.length,
      );
      await new Promise((r) => setTimeout(r, 200));
      const messages = recorded.events as unknown as PresenceMessage[];
      assert.deepEqual(messages.map((m) => [m.presence.type, m.presence.entry.sessionId]).sort(), sessions.map((s) => ['LEFT', s]).sort());
      assert.deepEqual(await presenceOf(owner, design.id), []);
    } finally {
      await recorded.stop();
    }
  });

  test('[PR4] a sweep before the time runs out takes nothing', async () => {
    const owner = asUser(app());
    const design = await makeDesignIn(owner);
    const sessionId = session();
    await updatePresence(owner, { designId: design.id, sessionId, input: {} });
    assert.equal(await expirePresence(app(), Date.now() + app().config.presence.ttlMs - 1000), 0);
    assert.deepEqual(
      (await presenceOf(owner, design.id)).map((e) => e.sessionId),
      [sessionId],
    );
    assert.equal(await leaveDesign(owner, { designId: design.id, sessionId }), true);
  });
});
