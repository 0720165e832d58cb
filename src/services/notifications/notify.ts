import type { ServiceContext } from '../../context';
import { EXCERPT_MAX, eventKeyOf, type NotificationJobData, type NotificationSubject } from '../../domain/notifications';
import { notificationJobId } from '../../jobs/job-ids';
import { findOptedOut, insertQueuedDeliveries } from '../../repositories/notification.repository';
import { isUuid } from '../../repositories/uuid';

/**
 * Attempts per message, with exponential backoff from 1 s (1, 2, 4 … 64 s, 127 s in all): an SMTP
 * server or users subgraph away for two minutes loses nothing, and a run that finds the claim of a
 * dead run (delivery.ts, SEND_LEASE_MS) is still trying when that claim lapses.
 */
export const SEND_ATTEMPTS = 8;

export type NotifyInput = NotificationSubject & {
  designId: string;
  /** Who is told: each gets a message of their own. Duplicates count once. */
  recipientIds: readonly string[];
  /** Who did it, never told of their own doing; null when nobody did (an export ending). */
  actorId: string | null;
};

/**
 * Queues the e-mails of one event, one per recipient, once the caller's transaction commits (EM1):
 * called inside the command that makes the event, where it records each message as QUEUED (EM3). Leaves out the actor and whoever turned this kind
 * off (EM2); does nothing while e-mail is off (no SMTP_URL). Whether a recipient has an address, may
 * still read the design, and has not opted out since is decided when the message is sent.
 *
 * The calls, one line each (the lead's, once share links and comments land):
 *   notify(tx, { kind: LINK_JOINED, designId, recipientIds: [design.ownerId], actorId: joinerId, role, revision })
 *   notify(tx, { kind: MENTIONED, designId, recipientIds: mentionedIds, actorId: authorId, commentId, excerpt: body })
 *   notify(tx, { kind: COMMENT_REPLY, designId, recipientIds: [parent.authorId], actorId: authorId, commentId: reply.id, excerpt: body })
 * `revision` is the design's revision the join made; `commentId` the comment that mentions, or the reply.
 */
export async function notify(tx: ServiceContext, input: NotifyInput): Promise<void> {
  if (!tx.config.mail.smtpUrl) return;
  const { designId, recipientIds, actorId, ...about } = input;
  const subject: NotificationSubject = 'excerpt' in about ? { ...about, excerpt: about.excerpt.slice(0, EXCERPT_MAX) } : about;
  const candidates = [...new Set(recipientIds)].filter((id) => isUuid(id) && id !== actorId);
  if (candidates.length === 0) return;
  const optedOut = await findOptedOut(tx.manager, candidates, subject.kind);
  const eventKey = eventKeyOf(subject, designId);
  const messages: NotificationJobData[] = candidates
    .filter((id) => !optedOut.has(id))
    .map((recipientId) => ({ ...subject, designId, actorId, recipientId, key: `${subject.kind}/${eventKey}/${recipientId}` }));
  // Recorded with the event, so that a job Redis did not take or lost is queued again (recovery/reconcile-jobs).
  const recorded = await insertQueuedDeliveries(tx.manager, messages);
  const jobs = messages.filter((m) => recorded.has(m.key));
  tx.afterCommit(async () => {
    await Promise.all(
      jobs.map((job) => tx.jobs.enqueue('send-notification', job, { jobId: notificationJobId(job.key), attempts: SEND_ATTEMPTS })),
    );
  });
}
