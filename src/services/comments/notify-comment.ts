import type { ServiceContext } from '../../context';
import { NotificationKind } from '../../domain/notifications';
import { notify } from '../notifications/notify';
import type { CommentOutcome } from './comment-outcome';

/**
 * The e-mails a comment command owes (EM1), queued in its transaction: COMMENT_REPLY to the author
 * replied to, MENTIONED to the users it newly mentions (but the one replied to, whom the reply
 * message already tells).
 */
export async function notifyOfComment(tx: ServiceContext, outcome: CommentOutcome): Promise<CommentOutcome> {
  const { comment, mentionedUserIds, repliedToUserId } = outcome;
  const about = { designId: comment.designId, actorId: tx.viewer?.userId ?? null, commentId: comment.id, excerpt: comment.body };
  if (repliedToUserId) await notify(tx, { kind: NotificationKind.COMMENT_REPLY, recipientIds: [repliedToUserId], ...about });
  const mentioned = mentionedUserIds.filter((id) => id !== repliedToUserId);
  if (mentioned.length) await notify(tx, { kind: NotificationKind.MENTIONED, recipientIds: mentioned, ...about });
  return outcome;
}
