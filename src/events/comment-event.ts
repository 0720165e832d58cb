export enum CommentEventType {
  /** A comment or a reply (`parentId`) was written. */
  ADDED = 'ADDED',
  EDITED = 'EDITED',
  /** The comment is gone, with its replies when it was a thread's first comment. */
  DELETED = 'DELETED',
  RESOLVED = 'RESOLVED',
  REOPENED = 'REOPENED',
}

/**
 * One comment event, as `comment_events` keeps it and as it crosses Redis on the design's channel.
 * It names what happened, not the comment's text: a subscriber reads the comment as it is now, so a
 * replay never shows text that was edited or deleted since [CM10].
 */
export interface CommentEventMessage {
  kind: 'comment';
  designId: string;
  /** 1, 2, 3… per design, in commit order, with no gap. */
  seq: number;
  type: CommentEventType;
  commentId: string;
  parentId: string | null;
  actorId: string;
  at: string;
}

export const isCommentEvent = (message: object): message is CommentEventMessage =>
  'kind' in message && (message as { kind: unknown }).kind === 'comment';
