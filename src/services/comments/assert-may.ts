import { CommentAction, mayActOnComment } from '../../domain/comment-permissions';
import { DesignError, ErrorCode } from '../../errors/design-error';
import type { CommentEntity } from '../../../entities/comment.entity';
import type { CommentWrite } from './comment-write';

const REFUSAL: Record<CommentAction, string> = {
  [CommentAction.Edit]: "Only the comment's author may edit it",
  [CommentAction.Delete]: "Only the comment's author or the design's owner may delete it",
  [CommentAction.Resolve]: "Only the thread's author or an editor of the design may resolve it",
};

/** FORBIDDEN unless the caller may `action` this comment (domain/comment-permissions). */
export function assertMay(write: CommentWrite & { comment: CommentEntity }, action: CommentAction): void {
  const { design, comment } = write;
  if (!mayActOnComment(write.tx.viewer, { ...design, role: design.viewerRole }, comment.authorId, action)) {
    throw new DesignError(ErrorCode.Forbidden, REFUSAL[action]);
  }
}
