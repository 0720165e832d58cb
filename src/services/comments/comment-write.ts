import type { CommentEntity } from '../../../entities/comment.entity';
import { requireViewer, type ServiceContext } from '../../context';
import { Permission } from '../../domain/permissions';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { CommentEventType, type CommentEventMessage } from '../../events/comment-event';
import { appendCommentEvent, lockCommentStream } from '../../repositories/comment-event.repository';
import { findCommentForUpdate, findDesignIdOfComment } from '../../repositories/comment.repository';
import type { DesignWithRole } from '../../repositories/design.repository';
import { requireAccess } from '../access/require-access';

/** A comment write under way: the design read with the caller's role, and its comment stream locked. */
export interface CommentWrite {
  tx: ServiceContext;
  userId: string;
  design: DesignWithRole;
  lastSeq: number;
}

/**
 * The start of every comment write [CM9]: signed in, the design locked FOR SHARE (a change of its
 * visibility, collaborators or existence waits, and so does this for one under way; comment writers
 * do not wait for each other there) and `permission` checked, then the design's comment stream locked.
 * The design's revision does not move.
 */
export async function openCommentWrite(tx: ServiceContext, designId: string, permission: Permission): Promise<CommentWrite> {
  const viewer = requireViewer(tx);
  const design = await requireAccess(tx, permission, designId, { lock: 'share', what: 'comments' });
  return { tx, userId: viewer.userId, design, lastSeq: await lockCommentStream(tx.manager, design.id) };
}

/**
 * As `openCommentWrite` for a write to one comment, read and locked after its design: a comment of a
 * design the caller may not read is NOT_FOUND like a comment that does not exist.
 */
export async function openCommentWriteOn(tx: ServiceContext, commentId: string): Promise<CommentWrite & { comment: CommentEntity }> {
  requireViewer(tx);
  const designId = await findDesignIdOfComment(tx.manager, commentId);
  if (!designId) throw notFound('Comment');
  let write: CommentWrite;
  try {
    write = await openCommentWrite(tx, designId, Permission.Read);
  } catch (error) {
    if (error instanceof DesignError && error.code === ErrorCode.NotFound) throw notFound('Comment');
    throw error;
  }
  const comment = await findCommentForUpdate(tx.manager, commentId);
  if (!comment || comment.designId !== designId) throw notFound('Comment');
  return { ...write, comment };
}

/** Appends the event to the design's comment log and publishes it once the transaction has committed. */
export async function recordCommentEvent(write: CommentWrite, type: CommentEventType, comment: CommentEntity, at: Date): Promise<void> {
  const message: CommentEventMessage = {
    kind: 'comment',
    designId: write.design.id,
    seq: ++write.lastSeq,
    type,
    commentId: comment.id,
    parentId: comment.parentId,
    actorId: write.userId,
    at: at.toISOString(),
  };
  await appendCommentEvent(write.tx.manager, message);
  write.tx.afterCommit(() => write.tx.events.publish(message));
}
