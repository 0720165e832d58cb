import type { CommentEntity } from '../../../entities/comment.entity';

/**
 * What a comment command wrote, and whom it concerns: the users newly mentioned (MENTIONED
 * notifications) and the author of the comment replied to (COMMENT_REPLY), never the caller.
 */
export interface CommentOutcome {
  comment: CommentEntity;
  mentionedUserIds: string[];
  repliedToUserId: string | null;
}
