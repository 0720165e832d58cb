import type { CommentEntity } from '../../../entities/comment.entity';
import type { ServiceContext } from '../../context';
import { CommentAction } from '../../domain/comment-permissions';
import { badInput } from '../../errors/design-error';
import { CommentEventType } from '../../events/comment-event';
import { updateComment } from '../../repositories/comment.repository';
import { assertMay } from './assert-may';
import { openCommentWriteOn, recordCommentEvent } from './comment-write';

/**
 * Resolves or reopens a thread (its author, or EDITOR and up) [CM4]. Threads are resolved, not
 * replies: a reply is BAD_USER_INPUT. Asking for the state it already has changes nothing.
 */
export async function resolveComment(tx: ServiceContext, props: { commentId: string; resolved: boolean }): Promise<CommentEntity> {
  const write = await openCommentWriteOn(tx, props.commentId);
  const { comment } = write;
  assertMay(write, CommentAction.Resolve);
  if (comment.parentId) throw badInput('id', 'is a reply; resolve its thread (the comment it replies to)');
  if ((comment.resolvedAt !== null) === props.resolved) return comment;
  const now = new Date();
  const fields = props.resolved ? { resolvedBy: write.userId, resolvedAt: now } : { resolvedBy: null, resolvedAt: null };
  Object.assign(comment, fields);
  await updateComment(tx.manager, comment.id, fields);
  await recordCommentEvent(write, props.resolved ? CommentEventType.RESOLVED : CommentEventType.REOPENED, comment, now);
  return comment;
}
