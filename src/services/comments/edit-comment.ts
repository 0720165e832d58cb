import type { ServiceContext } from '../../context';
import { CommentAction } from '../../domain/comment-permissions';
import { CommentEventType } from '../../events/comment-event';
import { updateComment } from '../../repositories/comment.repository';
import { checkedBody, newlyMentioned } from './comment-body';
import type { CommentOutcome } from './comment-outcome';
import { notifyOfComment } from './notify-comment';
import { openCommentWriteOn, recordCommentEvent } from './comment-write';
import { assertMay } from './assert-may';

/** A new body for the caller's own comment [CM2]; only mentions it did not carry before notify. The same body changes nothing. */
export async function editComment(tx: ServiceContext, props: { commentId: string; body: string }): Promise<CommentOutcome> {
  const write = await openCommentWriteOn(tx, props.commentId);
  const { comment } = write;
  assertMay(write, CommentAction.Edit);
  const { body, mentionIds } = await checkedBody(write, props.body);
  if (body === comment.body) return { comment, mentionedUserIds: [], repliedToUserId: null };
  const before = comment.mentionIds;
  const now = new Date();
  Object.assign(comment, { body, mentionIds, editedAt: now });
  await updateComment(tx.manager, comment.id, { body, mentionIds, editedAt: now });
  await recordCommentEvent(write, CommentEventType.EDITED, comment, now);
  return notifyOfComment(tx, { comment, mentionedUserIds: newlyMentioned(mentionIds, before, comment.authorId), repliedToUserId: null });
}
