import type { ServiceContext } from '../../context';
import { allows, Permission } from '../../domain/permissions';
import { REPLIES_MAX } from '../../domain/comment-text';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { countReplies } from '../../repositories/comment.repository';
import { insertNewComment } from './add-comment';
import { checkedBody, newlyMentioned } from './comment-body';
import type { CommentOutcome } from './comment-outcome';
import { notifyOfComment } from './notify-comment';
import { openCommentWriteOn } from './comment-write';

/**
 * A reply (COMMENTER and up) [CM1]. Threads are one level deep: a reply to a reply joins the same
 * thread, under its first comment, and the author of the comment named is the one replied to [CM6].
 */
export async function replyToComment(tx: ServiceContext, props: { commentId: string; body: string }): Promise<CommentOutcome> {
  const write = await openCommentWriteOn(tx, props.commentId);
  const { design, comment: target } = write;
  if (!allows(tx.viewer, { ...design, role: design.viewerRole }, Permission.Comment)) {
    throw new DesignError(ErrorCode.Forbidden, 'Your role on this design does not allow comments');
  }
  const { body, mentionIds } = await checkedBody(write, props.body);
  const threadId = target.parentId ?? target.id;
  if ((await countReplies(tx.manager, threadId)) >= REPLIES_MAX) {
    throw new DesignError(ErrorCode.LimitExceeded, `A thread holds at most ${REPLIES_MAX} replies`, { limit: REPLIES_MAX });
  }
  const comment = await insertNewComment(write, { body, mentionIds, layerId: null, anchor: null, versionId: null, parentId: threadId });
  return notifyOfComment(tx, {
    comment,
    mentionedUserIds: newlyMentioned(mentionIds, [], write.userId),
    repliedToUserId: target.authorId === write.userId ? null : target.authorId,
  });
}
