import { createHash } from 'node:crypto';
import { ExportStatus } from '../../../entities/export.entity';
import { inTransaction, type ServiceContext } from '../../context';
import { NotificationKind, type NotificationJobData } from '../../domain/notifications';
import { allows, Permission } from '../../domain/permissions';
import { logger } from '../../logger';
import type { Mailer, MailMessage } from '../../mail/mailer';
import { composeMessage, type MessageFacts } from '../../mail/messages';
import { findDesignsWithRole } from '../../repositories/design.repository';
import { findExportsByIds } from '../../repositories/export.repository';
import { claimDelivery, finishDelivery, findOptedOut } from '../../repositories/notification.repository';

/**
 * How long a claimed message stays someone's: past it, a run that died between the SMTP server
 * taking the message and recording it is taken over and the message sent again (EM3's window). Well
 * over the mailer's timeouts (10 + 10 + 30 s), so that a slow send is not taken over while it runs,
 * and shorter than the job's backoff (notify.ts), so that the job outlives a claim its dead run left.
 */
export const SEND_LEASE_MS = 90_000;

/** Mentions in comment words, `@[user-uuid]`. */
const MENTION = /@\[([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\]/gi;

type Claimed = { designName: string } | { done: string };

/**
 * Takes the message for sending (EM3) and decides, from PostgreSQL, whether it is still to be sent:
 * not when it was sent (or skipped) already, when the recipient turned its kind off since it was
 * queued (EM2), or when they may no longer read the design (EM4).
 */
async function claimMessage(tx: ServiceContext, data: NotificationJobData): Promise<Claimed> {
  const claim = await claimDelivery(tx.manager, data, SEND_LEASE_MS);
  if (!claim.claimed) {
    if (claim.status === 'SENDING') throw new Error('another run is sending this message');
    return { done: `already ${claim.status.toLowerCase()}` };
  }
  const skip = async (why: string) => {
    await finishDelivery(tx.manager, data.key, 'SKIPPED', why);
    return { done: `not sent: ${why}` };
  };
  if ((await findOptedOut(tx.manager, [data.recipientId], data.kind)).size > 0) return skip('opted out');
  const [design] = await findDesignsWithRole(tx.manager, [data.designId], data.recipientId);
  const recipient = { userId: data.recipientId, tier: 'free' as const };
  if (!design || !allows(recipient, { ...design, role: design.viewerRole }, Permission.Read)) return skip('may not read the design');
  return { designName: design.name };
}

type Prepared = { message: MailMessage } | { skip: string };

/** Addresses and names from the users subgraph (one batched `_entities` read), the export's link, the words. */
async function prepareMessage(ctx: ServiceContext, data: NotificationJobData, designName: string): Promise<Prepared> {
  const mentioned = 'excerpt' in data ? [...data.excerpt.matchAll(MENTION)].map((m) => m[1].toLowerCase()) : [];
  const ids = [data.recipientId, ...(data.actorId ? [data.actorId] : []), ...mentioned];
  const users = new Map((await Promise.all(ids.map((id) => ctx.upstream.users.load(id)))).map((u, i) => [ids[i], u]));
  const recipient = users.get(data.recipientId);
  if (!recipient?.email) {
    logger.warn(
      { recipientId: data.recipientId, kind: data.kind, key: data.key },
      'no e-mail address for the recipient: notification not sent',
    );
    return { skip: 'no address' };
  }
  const about = await aboutOf(ctx, data, (id) => users.get(id)?.name ?? null);
  if ('skip' in about) return about;
  const base = `${ctx.config.appUrl}/designs/${encodeURIComponent(data.designId)}`;
  const facts: MessageFacts = {
    designName,
    designUrl: 'commentId' in data ? `${base}?comment=${encodeURIComponent(data.commentId)}` : base,
    actorName: data.actorId ? (users.get(data.actorId)?.name ?? null) : null,
    recipientName: recipient.name,
    about,
  };
  return {
    message: { to: { address: recipient.email, name: recipient.name }, ...composeMessage(facts), messageId: messageIdOf(ctx, data.key) },
  };
}

async function aboutOf(
  ctx: ServiceContext,
  data: NotificationJobData,
  nameOf: (id: string) => string | null,
): Promise<MessageFacts['about'] | { skip: string }> {
  switch (data.kind) {
    case NotificationKind.EXPORT_COMPLETED: {
      const [exported] = await findExportsByIds(ctx.manager, [data.exportId]);
      const now = new Date();
      const keptUntil = exported?.expiresAt ? new Date(exported.expiresAt) : null;
      if (
        exported?.status !== ExportStatus.COMPLETED ||
        exported.retryCount !== data.run ||
        !exported.fileKey ||
        !keptUntil ||
        keptUntil <= now
      )
        return { skip: 'the export is no longer there' };
      const linkExpiresAt = new Date(Math.min(now.getTime() + ctx.config.files.urlTtlSeconds * 1000, keptUntil.getTime()));
      return {
        kind: data.kind,
        exportType: exported.type,
        format: exported.format,
        fileName: exported.fileName ?? exported.fileKey,
        downloadUrl: await ctx.files.downloadUrl(exported.fileKey, now),
        linkExpiresAt,
      };
    }
    case NotificationKind.EXPORT_FAILED: {
      const [exported] = await findExportsByIds(ctx.manager, [data.exportId]);
      if (exported?.status !== ExportStatus.FAILED || exported.retryCount !== data.run) return { skip: 'the export was retried since' };
      return { kind: data.kind, exportType: exported.type, format: exported.format };
    }
    case NotificationKind.COLLABORATOR_ADDED:
    case NotificationKind.LINK_JOINED:
      return { kind: data.kind, role: data.role };
    case NotificationKind.MENTIONED:
    case NotificationKind.COMMENT_REPLY:
      return { kind: data.kind, excerpt: data.excerpt.replace(MENTION, (_, id: string) => `@${nameOf(id.toLowerCase()) ?? 'someone'}`) };
  }
}

/** The same Message-ID for every attempt at one message, at the From address's domain. */
function messageIdOf(ctx: ServiceContext, key: string): string {
  const domain = /@([^@>\s]+)>?$/.exec(ctx.config.mail.from)?.[1] ?? 'design.localhost';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * Sends one queued message, at most once (EM3): claims it, gathers what it says, sends it over SMTP,
 * and records that it was sent. A failure releases the claim and throws, for the job to be tried
 * again with backoff; what was decided not to send (EM2, EM4, EM6) is recorded as SKIPPED.
 */
export async function deliverNotification(ctx: ServiceContext, mailer: Mailer | null, data: NotificationJobData): Promise<string> {
  if (!mailer) return 'not sent: e-mail is off (no SMTP_URL)';
  const claimed = await inTransaction(ctx, (tx) => claimMessage(tx, data));
  if ('done' in claimed) return claimed.done;
  try {
    const prepared = await prepareMessage(ctx, data, claimed.designName);
    if ('skip' in prepared) {
      await inTransaction(ctx, (tx) => finishDelivery(tx.manager, data.key, 'SKIPPED', prepared.skip));
      return `not sent: ${prepared.skip}`;
    }
    await mailer.send(prepared.message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await inTransaction(ctx, (tx) => finishDelivery(tx.manager, data.key, 'FAILED', reason)).catch(() => undefined);
    throw error;
  }
  await inTransaction(ctx, (tx) => finishDelivery(tx.manager, data.key, 'SENT', null));
  return 'sent';
}
