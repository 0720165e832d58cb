import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { NO_ADDRESS_ID_PREFIX, UNKNOWN_ID_PREFIX } from '../dev-subgraphs/seed-data';
import { freePort } from '../scripts/stack';
import { loadConfig } from '../src/config';
import { createMailer } from '../src/mail/mailer';
import { createServiceContext, inTransaction } from '../src/context';
import { eventKeyOf, NotificationKind, type NotificationJobData, type NotificationSubject } from '../src/domain/notifications';
import { notificationJobId } from '../src/jobs/job-ids';
import { expireDeliveries } from '../src/services/cleanup/expire-deliveries';
import { reconcileJobs } from '../src/services/recovery/reconcile-jobs';
import { deliverNotification } from '../src/services/notifications/delivery';
import { notify } from '../src/services/notifications/notify';
import {
  errorCode,
  exportEnded,
  exportSmallImage,
  GATEWAY_URL,
  gql,
  graphql,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  share,
  startDesignSubgraph,
  startWorkers,
  withDb,
  type TestUser,
} from './helpers';
import { inProcessApp } from './in-process';

const MAILDEV = process.env.TEST_MAILDEV_URL!;
const APP_URL = loadConfig().appUrl;

interface Mail {
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  from: { address: string }[];
  headers: Record<string, string>;
}

/** The development users subgraph gives every id it does not know this address (dev-subgraphs/seed-data.ts). */
const addressOf = (userId: string) => `${userId}@example.test`;

/** What maildev holds for one recipient: each test's users are new, so it sees only its own mail. */
async function mailTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${MAILDEV}/api/email?${new URLSearchParams({ 'to.address': address })}`);
  assert.equal(response.status, 200);
  return (await response.json()) as Mail[];
}

/** Waits for `count` messages to `address`, then long enough for a second copy to arrive (there must be none). */
async function mailArrived(address: string, count = 1): Promise<Mail[]> {
  const arrived = await pollUntil(
    () => mailTo(address),
    (mails) => mails.length >= count,
    300,
    100,
  );
  assert.equal(arrived.length, count, `${arrived.length} messages to ${address}, expected ${count}`);
  await new Promise((r) => setTimeout(r, 1500));
  const settled = await mailTo(address);
  assert.equal(settled.length, count, `a message to ${address} arrived twice`);
  return settled;
}

/** A link of the plain text part: the line `label: url`. */
function linkIn(mail: Mail, label: string): string {
  const line = mail.text.split('\n').find((l) => l.startsWith(`${label}: `));
  assert.ok(line, `no "${label}" link in:\n${mail.text}`);
  return line.slice(label.length + 2);
}

const SETTINGS = graphql(`
  query {
    notificationSettings {
      kind
      email
    }
  }
`);

const UPDATE_SETTINGS = graphql(`
  mutation ($input: [NotificationSettingInput!]!) {
    updateNotificationSettings(input: $input) {
      kind
      email
    }
  }
`);

const DESIGN_NAME = graphql(`
  query ($id: ID!) {
    design(id: $id) {
      name
    }
  }
`);

async function designName(user: TestUser, id: string): Promise<string> {
  return (await ok(user, DESIGN_NAME, { id })).design!.name;
}

async function deliveryRow(key: string) {
  return withDb(async (db) => (await db.query('SELECT status, detail FROM notification_deliveries WHERE key = $1', [key])).rows[0]);
}

const keyOf = (subject: NotificationSubject, designId: string, recipientId: string) =>
  `${subject.kind}/${eventKeyOf(subject, designId)}/${recipientId}`;

describe('e-mail notifications through the stack', () => {
  test('[EM1] an export that completes e-mails its requester once, with a download link that fetches the file and a link to the design', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const exportId = await exportSmallImage(owner, id);
    assert.equal(await exportEnded(owner, exportId), 'COMPLETED');
    const [mail] = await mailArrived(addressOf(owner.id));
    const name = await designName(owner, id);
    assert.equal(mail.subject, `Your PNG export of “${name}” is ready`);
    assert.match(mail.text, /^Hello User [0-9a-f]{8},\n\nYour image export of “.*” \(PNG\) is ready: .*\.png\./);
    assert.match(mail.text, /This download link works until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.equal(linkIn(mail, 'Open the design'), `${APP_URL}/designs/${id}`);
    const download = await fetch(linkIn(mail, 'Download it'));
    assert.equal(download.status, 200);
    const file = Buffer.from(await download.arrayBuffer());
    assert.deepEqual([...file.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the link gives the PNG');
    // The HTML part carries the same link, escaped.
    assert.ok(mail.html.includes(`href="${linkIn(mail, 'Download it').replace(/&/g, '&amp;')}"`));
    assert.equal(mail.from[0].address, loadConfig().mail.from.replace(/^.*<|>$/g, ''));
  });

  test('[EM1] adding a collaborator e-mails the added user once, naming who added them and the role; the owner gets nothing', async () => {
    const owner = await makeUser();
    const editor = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, editor, 'EDITOR');
    const [mail] = await mailArrived(addressOf(editor.id));
    const name = await designName(owner, id);
    assert.equal(mail.subject, `User ${owner.id.slice(0, 8)} added you to “${name}”`);
    assert.ok(mail.text.includes(`added you to the design “${name}” as editor.`));
    assert.equal(linkIn(mail, 'Open the design'), `${APP_URL}/designs/${id}`);
    assert.deepEqual(await mailTo(addressOf(owner.id)), []);
  });

  test('[EM2] notificationSettings: every kind on by default; turned off, that kind is not sent while the others are', async () => {
    const owner = await makeUser();
    const quiet = await makeUser();
    const other = await makeUser();
    const defaults = (await ok(quiet, SETTINGS)).notificationSettings;
    assert.deepEqual(
      defaults.map((s) => [s.kind, s.email]),
      Object.values(NotificationKind).map((kind) => [kind, true]),
    );
    const updated = (await ok(quiet, UPDATE_SETTINGS, { input: [{ kind: 'COLLABORATOR_ADDED', email: false }] }))
      .updateNotificationSettings;
    assert.equal(updated.find((s) => s.kind === 'COLLABORATOR_ADDED')?.email, false);
    assert.equal(updated.filter((s) => s.email).length, 5);
    const { id } = await makeDesign(owner);
    await share(owner, id, quiet, 'VIEWER');
    await share(owner, id, other, 'VIEWER');
    // Queued after the opted-out user's would-be message: once it is here, that one would be too.
    await mailArrived(addressOf(other.id));
    assert.deepEqual(await mailTo(addressOf(quiet.id)), []);
    // Turned on again, the next one is sent.
    await ok(quiet, UPDATE_SETTINGS, { input: [{ kind: 'COLLABORATOR_ADDED', email: true }] });
    const second = await makeDesign(owner);
    await share(owner, second.id, quiet, 'VIEWER');
    await mailArrived(addressOf(quiet.id));
  });

  test('[EM2] notificationSettings are signed-in only; an update names each kind at most once and at least one', async () => {
    const user = await makeUser();
    assert.equal(await errorCode(null, SETTINGS), 'UNAUTHENTICATED');
    assert.equal(await errorCode(null, UPDATE_SETTINGS, { input: [{ kind: 'MENTIONED', email: false }] }), 'UNAUTHENTICATED');
    assert.equal(await errorCode(user, UPDATE_SETTINGS, { input: [] }), 'BAD_USER_INPUT');
    const twice = [
      { kind: 'MENTIONED', email: false },
      { kind: 'MENTIONED', email: true },
    ];
    assert.equal(await errorCode(user, UPDATE_SETTINGS, { input: twice }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(user, UPDATE_SETTINGS, { input: [{ kind: 'NOT_A_KIND', email: false }] }), 'BAD_USER_INPUT');
    // Nothing was written by the refused ones.
    assert.ok((await ok(user, SETTINGS)).notificationSettings.every((s) => s.email));
  });

  test('[EM6] a user without an address gets no e-mail: the message is recorded as skipped', async () => {
    const owner = await makeUser();
    const { id, revision } = await makeDesign(owner);
    const noAddress = `${NO_ADDRESS_ID_PREFIX}${randomUUID().slice(NO_ADDRESS_ID_PREFIX.length)}`;
    await ok(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          addCollaborator(designId: $d, userId: $u, role: VIEWER) {
            role
          }
        }
      `),
      { d: id, u: noAddress },
    );
    const key = keyOf({ kind: NotificationKind.COLLABORATOR_ADDED, role: 'VIEWER', revision: revision + 1 }, id, noAddress);
    const row = await pollUntil(
      () => deliveryRow(key),
      (r) => r?.status === 'SKIPPED',
      100,
      100,
    );
    assert.deepEqual(row, { status: 'SKIPPED', detail: 'no address' });
    assert.deepEqual(await mailTo(addressOf(noAddress)), []);
  });
});

describe('e-mail notifications of share links and comments', () => {
  test('[EM1] joining through a share link e-mails the owner once, naming who joined and the role', async () => {
    const owner = await makeUser();
    const joiner = await makeUser();
    const { id } = await makeDesign(owner);
    const link = (await ok(owner, graphql('mutation ($d: ID!) { createShareLink(designId: $d, role: COMMENTER) { token } }'), { d: id }))
      .createShareLink;
    await ok(joiner, graphql('mutation ($t: String!) { joinDesign(token: $t) { id } }'), { t: link.token });
    const [mail] = await mailArrived(addressOf(owner.id));
    assert.match(mail!.subject, new RegExp(`joined “${await designName(owner, id)}” through a share link`));
    assert.match(mail!.text, /as commenter/);
    assert.equal((await mailTo(addressOf(joiner.id))).length, 0, 'the joiner is not told of their own doing');
  });

  test('[EM1] a comment e-mails whom it mentions; a reply e-mails the author replied to, once, even when it also mentions them', async () => {
    const owner = await makeUser();
    const commenter = await makeUser();
    const reader = await makeUser();
    const { id } = await makeDesign(owner);
    await share(owner, id, commenter, 'COMMENTER');
    await share(owner, id, reader, 'VIEWER');
    const thread = (
      await ok(owner, graphql('mutation ($d: ID!, $input: AddCommentInput!) { addComment(designId: $d, input: $input) { id } }'), {
        d: id,
        input: { body: `Look at the sleeve, @[${reader.id}] and @[${commenter.id}]` },
      })
    ).addComment;
    for (const user of [reader, commenter]) {
      // The other one is the COLLABORATOR_ADDED message of `share`.
      const mail = (await mailArrived(addressOf(user.id), 2)).find((m) => /mentioned you on/.test(m.subject));
      assert.ok(mail, 'one message says they were mentioned');
      assert.ok(linkIn(mail!, 'Open the comment').endsWith(`/designs/${id}?comment=${thread.id}`));
    }
    await ok(commenter, graphql('mutation ($id: ID!, $body: String!) { replyToComment(id: $id, body: $body) { id } }'), {
      id: thread.id,
      body: `Agreed, @[${owner.id}]`,
    });
    const [reply] = await mailArrived(addressOf(owner.id));
    assert.match(reply!.subject, /replied to your comment on/);
    assert.match(reply!.text, /Agreed/);
  });
});

describe('the development users subgraph', () => {
  test("composes with ours: through the gateway a design's owner has the users subgraph's name and address", async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const result = await gql<{ design: { owner: { id: string; name: string; email: string } } }>(
      owner,
      'query ($id: ID!) { design(id: $id) { owner { id name email } } }',
      { id },
      GATEWAY_URL,
    );
    assert.deepEqual(result, {
      data: { design: { owner: { id: owner.id, name: `User ${owner.id.slice(0, 8)}`, email: addressOf(owner.id) } } },
    });
  });
});

describe('e-mail notifications of a subgraph and workers of their own', () => {
  // Their own Redis prefix: the stack's workers never see these jobs; exports fail at once, and the
  // workers log at warn, so that their output shows the line about a missing address.
  const env = { REDIS_PREFIX: `${process.env.REDIS_PREFIX}mail-${randomUUID().slice(0, 8)}:`, EXPORT_ATTEMPT_TIMEOUT_MS: '1' };
  let api: Awaited<ReturnType<typeof startDesignSubgraph>>;
  let workers: Awaited<ReturnType<typeof startWorkers>>;
  before(async () => {
    api = await startDesignSubgraph(env);
    workers = await startWorkers({ ...env, LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await workers?.kill('SIGTERM');
    await api?.stop();
  });

  test('[EM1] an export that fails its last attempt e-mails its requester once (not once per attempt), without the reason', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const exportId = await exportSmallImage(owner, id, api.url);
    assert.equal(await exportEnded(owner, exportId, api.url), 'FAILED');
    const [mail] = await mailArrived(addressOf(owner.id));
    assert.equal(mail.subject, `Your PNG export of “${await designName(owner, id)}” failed`);
    assert.ok(!mail.text.includes('longer than'), 'the failure reason stays in the API');
    assert.equal(linkIn(mail, 'Open the design'), `${APP_URL}/designs/${id}`);
  });

  test('[EM6] no address: one log line naming the recipient, and no e-mail', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, {});
    const noAddress = `${NO_ADDRESS_ID_PREFIX}${randomUUID().slice(NO_ADDRESS_ID_PREFIX.length)}`;
    const added = await gql(
      owner,
      graphql(`
        mutation ($d: ID!, $u: ID!) {
          addCollaborator(designId: $d, userId: $u, role: COMMENTER) {
            role
          }
        }
      `),
      { d: id, u: noAddress },
      api.url,
    );
    assert.equal(added.errors, undefined);
    const lines = () =>
      workers
        .output()
        .split('\n')
        .filter((l) => l.includes(noAddress) && l.includes('no e-mail address'));
    const found = await pollUntil(
      async () => lines(),
      (l) => l.length > 0,
      100,
      100,
    );
    assert.equal(found.length, 1, workers.output());
    assert.deepEqual(await mailTo(addressOf(noAddress)), []);
  });
});

describe('sending a message (the job, in this process)', () => {
  const services = inProcessApp({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}mail-inproc-${randomUUID().slice(0, 8)}:` });
  const ctx = () => createServiceContext(services.app(), null);
  const send = (data: NotificationJobData) => deliverNotification(ctx(), services.app().mailer, data);

  /** A design of `owner` with `others` on it as COMMENTER, through the API. */
  async function designWith(owner: TestUser, others: TestUser[], input: Record<string, unknown> = {}) {
    const { id } = await makeDesign(owner, input);
    for (const other of others) await share(owner, id, other, 'COMMENTER');
    return id;
  }

  function job(subject: NotificationSubject, designId: string, recipientId: string, actorId: string | null): NotificationJobData {
    return { ...subject, designId, recipientId, actorId, key: keyOf(subject, designId, recipientId) };
  }

  test('[EM3] a job run twice, or twice at once, sends its message once', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const { id, revision } = await makeDesign(owner);
    await share(owner, id, reader, 'COMMENTER');
    const data = job(
      { kind: NotificationKind.MENTIONED, commentId: randomUUID(), excerpt: `@[${reader.id}] look` },
      id,
      reader.id,
      owner.id,
    );
    const together = await Promise.allSettled([send(data), send(data)]);
    const outcomes = together.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)).sort();
    // One sends; the other finds it sent, or being sent (and would be tried again by BullMQ).
    assert.equal(outcomes.filter((o) => o === 'sent').length, 1, JSON.stringify(outcomes));
    assert.ok(
      outcomes.some((o) => o === 'already sent' || o === 'another run is sending this message'),
      JSON.stringify(outcomes),
    );
    assert.equal(await send(data), 'already sent');
    assert.deepEqual(await deliveryRow(data.key), { status: 'SENT', detail: null });
    // The message the stack's workers sent when the reader was added: a job run again for it sends nothing.
    await mailArrived(addressOf(reader.id), 2);
    const added = job({ kind: NotificationKind.COLLABORATOR_ADDED, role: 'COMMENTER', revision: revision + 1 }, id, reader.id, owner.id);
    assert.equal(await send(added), 'already sent');
    await mailArrived(addressOf(reader.id), 2);
  });

  test('[EM4] a recipient who may no longer read the design gets nothing; nor one who opted out after it was queued', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const reader = await makeUser();
    const id = await designWith(owner, [reader]);
    const mention = (to: TestUser) =>
      job({ kind: NotificationKind.MENTIONED, commentId: randomUUID(), excerpt: 'hello' }, id, to.id, owner.id);
    assert.equal(await send(mention(stranger)), 'not sent: may not read the design');
    await ok(reader, UPDATE_SETTINGS, { input: [{ kind: 'MENTIONED', email: false }] });
    assert.equal(await send(mention(reader)), 'not sent: opted out');
    assert.equal((await mailTo(addressOf(stranger.id))).length, 0);
  });

  test('[EM6] a user the users subgraph does not know gets none, recorded as skipped', async () => {
    const owner = await makeUser();
    // SHARED: anyone signed in may read it, so the address is what decides.
    const { id } = await makeDesign(owner, { visibility: 'SHARED' });
    const unknown = `${UNKNOWN_ID_PREFIX}${randomUUID().slice(UNKNOWN_ID_PREFIX.length)}`;
    const data = job({ kind: NotificationKind.MENTIONED, commentId: randomUUID(), excerpt: 'hello' }, id, unknown, owner.id);
    assert.equal(await send(data), 'not sent: no address');
    assert.deepEqual(await deliveryRow(data.key), { status: 'SKIPPED', detail: 'no address' });
    assert.equal(await send(data), 'already skipped');
  });

  test('[EM3] a message whose attempt failed and whose job Redis then lost is queued again, and sent once', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const id = await designWith(owner, [reader]);
    const asOwner = createServiceContext(services.app(), { userId: owner.id, tier: 'pro' });
    const subject = { kind: NotificationKind.COMMENT_REPLY, commentId: randomUUID(), excerpt: 'retry me' } as const;
    const key = keyOf(subject, id, reader.id);
    const jobId = notificationJobId(key);
    await inTransaction(asOwner, (tx) => notify(tx, { ...subject, designId: id, recipientIds: [reader.id], actorId: owner.id }));
    const data = (await withDb(async (db) => (await db.query('SELECT data FROM notification_deliveries WHERE key = $1', [key])).rows[0]))
      .data as NotificationJobData;
    // An attempt against an SMTP server that is not there fails, and says so in the row.
    const nowhere = createMailer({ ...services.app().config.mail, smtpUrl: `smtp://127.0.0.1:${await freePort()}` })!;
    await assert.rejects(deliverNotification(ctx(), nowhere, data), /ECONNREFUSED/);
    nowhere.close();
    assert.equal((await deliveryRow(key)).status, 'FAILED');
    // Its next attempt is lost with Redis's data.
    await pollUntil(
      () => services.app().jobs.find('send-notification', jobId),
      (q) => q.state === 'pending',
      20,
      50,
    );
    await services.app().jobs.remove('send-notification', jobId);
    await reconcileJobs(ctx(), { now: new Date(Date.now() + 11_000) });
    assert.deepEqual(await services.app().jobs.find('send-notification', jobId), { state: 'pending' });
    const requeued = await deliveryRow(key);
    assert.equal(requeued.status, 'QUEUED');
    assert.match(requeued.detail, /ECONNREFUSED/, 'the last failure stays on record');
    assert.equal(await send(data), 'sent');
    const mails = await mailArrived(addressOf(reader.id), 2);
    assert.equal(mails.filter((m) => m.subject.includes('replied to your comment')).length, 1);
  });

  test('[EM3] delivery records are kept 30 days, then the clean-up forgets them', async () => {
    const [oldKey, newKey] = [`test/${randomUUID()}`, `test/${randomUUID()}`];
    await withDb((db) =>
      db.query(
        `INSERT INTO notification_deliveries (key, recipient_id, kind, design_id, status, data, queued_at)
         VALUES ($1, $3, 'MENTIONED', $3, 'SENT', '{}', now() - interval '31 days'), ($2, $3, 'MENTIONED', $3, 'SENT', '{}', now() - interval '29 days')`,
        [oldKey, newKey, randomUUID()],
      ),
    );
    assert.match(
      await inTransaction(ctx(), (tx) => expireDeliveries(tx, { now: new Date() })),
      /^removed [1-9]\d* notification delivery records$/,
    );
    assert.equal(await deliveryRow(oldKey), undefined);
    assert.deepEqual(await deliveryRow(newKey), { status: 'SENT', detail: null });
  });

  test('[EM5] the comment and share-link kinds: subject, who did what, quoted words with mentions named, escaped HTML', async () => {
    const owner = await makeUser();
    const commenter = await makeUser();
    const name = `<b>Coats & "capes"</b>`;
    const id = await designWith(owner, [commenter], { name });
    const commentId = randomUUID();
    const words = `@[${owner.id}] <i>hem</i> & cuffs\nsecond line`;
    assert.equal(await send(job({ kind: NotificationKind.MENTIONED, commentId, excerpt: words }, id, owner.id, commenter.id)), 'sent');
    const actor = `User ${commenter.id.slice(0, 8)}`;
    const [mentioned] = await mailArrived(addressOf(owner.id));
    assert.equal(mentioned.subject, `${actor} mentioned you on “${name}”`);
    assert.ok(mentioned.text.includes(`> @User ${owner.id.slice(0, 8)} <i>hem</i> & cuffs\n> second line`), mentioned.text);
    assert.equal(linkIn(mentioned, 'Open the comment'), `${APP_URL}/designs/${id}?comment=${commentId}`);
    assert.ok(mentioned.html.includes('&lt;b&gt;Coats &amp; &quot;capes&quot;&lt;/b&gt;'), mentioned.html);
    assert.ok(mentioned.html.includes('&lt;i&gt;hem&lt;/i&gt; &amp; cuffs<br>'), mentioned.html);
    assert.ok(!mentioned.html.includes('<i>') && !mentioned.html.includes('<b>C'));

    const reply = job({ kind: NotificationKind.COMMENT_REPLY, commentId: randomUUID(), excerpt: 'agreed' }, id, commenter.id, owner.id);
    assert.equal(await send(reply), 'sent');
    const [replied] = await mailArrived(addressOf(commenter.id), 2).then((mails) => mails.filter((m) => m.subject.includes('replied')));
    assert.equal(replied.subject, `User ${owner.id.slice(0, 8)} replied to your comment on “${name}”`);
    assert.ok(replied.text.includes('> agreed'));

    const joiner = await makeUser();
    await share(owner, id, joiner, 'VIEWER');
    const joined = job({ kind: NotificationKind.LINK_JOINED, role: 'VIEWER', revision: 99 }, id, owner.id, joiner.id);
    assert.equal(await send(joined), 'sent');
    const [link] = await mailArrived(addressOf(owner.id), 2).then((mails) => mails.filter((m) => m.subject.includes('share link')));
    assert.equal(link.subject, `User ${joiner.id.slice(0, 8)} joined “${name}” through a share link`);
    assert.ok(link.text.includes('as viewer through one of its share links.'));
  });

  test('[EM1] notify() queues one job per recipient after commit, none for the actor or a duplicate, none on rollback', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const id = await designWith(owner, [reader]);
    const asOwner = createServiceContext(services.app(), { userId: owner.id, tier: 'pro' });
    const subject = { kind: NotificationKind.MENTIONED, commentId: randomUUID(), excerpt: 'hi' } as const;
    const queued = (recipientId: string) =>
      services.app().jobs.find('send-notification', notificationJobId(keyOf(subject, id, recipientId)));
    await assert.rejects(
      inTransaction(asOwner, async (tx) => {
        await notify(tx, { ...subject, designId: id, recipientIds: [reader.id], actorId: owner.id });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await queued(reader.id), { state: 'missing' });
    await inTransaction(asOwner, (tx) =>
      notify(tx, { ...subject, designId: id, recipientIds: [reader.id, owner.id, reader.id], actorId: owner.id }),
    );
    const pending = await pollUntil(
      () => queued(reader.id),
      (q) => q.state === 'pending',
      20,
      50,
    );
    assert.deepEqual(pending, { state: 'pending' });
    assert.deepEqual(await queued(owner.id), { state: 'missing' });
    assert.deepEqual(await deliveryRow(keyOf(subject, id, reader.id)), { status: 'QUEUED', detail: null });
    assert.equal(await deliveryRow(keyOf(subject, id, owner.id)), undefined);
    // The same event again (a retried command, a second call): recorded already, so not queued again.
    await services.app().jobs.remove('send-notification', notificationJobId(keyOf(subject, id, reader.id)));
    await inTransaction(asOwner, (tx) => notify(tx, { ...subject, designId: id, recipientIds: [reader.id], actorId: owner.id }));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await queued(reader.id), { state: 'missing' });
  });

  test('[EM3] a message whose job Redis lost is queued again by the reconciler from its QUEUED row, then sent once', async () => {
    const owner = await makeUser();
    const reader = await makeUser();
    const id = await designWith(owner, [reader]);
    const asOwner = createServiceContext(services.app(), { userId: owner.id, tier: 'pro' });
    const subject = { kind: NotificationKind.MENTIONED, commentId: randomUUID(), excerpt: 'lost and found' } as const;
    const key = keyOf(subject, id, reader.id);
    const jobId = notificationJobId(key);
    await inTransaction(asOwner, (tx) => notify(tx, { ...subject, designId: id, recipientIds: [reader.id], actorId: owner.id }));
    await pollUntil(
      () => services.app().jobs.find('send-notification', jobId),
      (q) => q.state === 'pending',
      20,
      50,
    );
    // Redis loses it (this test's prefix has no workers, so it is still waiting).
    assert.equal(await services.app().jobs.remove('send-notification', jobId), true);
    const later = new Date(Date.now() + 11_000);
    const { requeued } = await reconcileJobs(ctx(), { now: later });
    assert.ok(requeued >= 1);
    assert.deepEqual(await services.app().jobs.find('send-notification', jobId), { state: 'pending' });
    const [row] = await withDb(
      async (db) => (await db.query('SELECT data, requeue_count FROM notification_deliveries WHERE key = $1', [key])).rows,
    );
    assert.equal(row.requeue_count, 1);
    // What the requeued job carries is the message itself: run here, it is sent once.
    assert.equal(await send(row.data as NotificationJobData), 'sent');
    const mails = await mailArrived(addressOf(reader.id), 2);
    assert.equal(mails.filter((m) => m.subject.includes('mentioned you')).length, 1);
    assert.equal(await send(row.data as NotificationJobData), 'already sent');
  });
});
