import type { ServiceContext } from '../../context';
import { CommentAction } from '../../domain/comment-permissions';
import { CommentEventType } from '../../events/comment-event';
import { deleteComment as deleteCommentRow } from '../../repositories/comment.repository';
import { assertMay } from './assert-may';
import { openCommentWriteOn, recordCommentEvent } from './comment-write';

/** Deletes a comment (its author, or the design's owner) [CM3]; a thread's first comment takes its replies with it. Its id. */
export async function deleteComment(tx: ServiceContext, props: { commentId: string }): Promise<string> {
  const write = await openCommentWriteOn(tx, props.commentId);
  assertMay(write, CommentAction.Delete);
  await deleteCommentRow(tx.manager, write.comment.id);
  await recordCommentEvent(write, CommentEventType.DELETED, write.comment, new Date());
  return write.comment.id;
}
