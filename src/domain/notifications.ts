/** What a user may be told about by e-mail (issue 14); each kind can be turned off per user. */
export enum NotificationKind {
  EXPORT_COMPLETED = 'EXPORT_COMPLETED',
  EXPORT_FAILED = 'EXPORT_FAILED',
  COLLABORATOR_ADDED = 'COLLABORATOR_ADDED',
  LINK_JOINED = 'LINK_JOINED',
  MENTIONED = 'MENTIONED',
  COMMENT_REPLY = 'COMMENT_REPLY',
}

export const NOTIFICATION_KINDS = Object.values(NotificationKind);

/** A comment's words quoted in a message, cut to this many characters. */
export const EXCERPT_MAX = 280;

/** What each kind of message is about, beside its design and its actor. */
export type NotificationSubject =
  | { kind: NotificationKind.EXPORT_COMPLETED | NotificationKind.EXPORT_FAILED; exportId: string; run: number }
  | { kind: NotificationKind.COLLABORATOR_ADDED | NotificationKind.LINK_JOINED; role: string; revision: number }
  | { kind: NotificationKind.MENTIONED | NotificationKind.COMMENT_REPLY; commentId: string; excerpt: string };

/**
 * One message to one recipient: the job's data. `key` names the message (kind, event, recipient);
 * the job id and the delivery table both use it, so that it is sent once (EM3).
 */
export type NotificationJobData = NotificationSubject & {
  key: string;
  recipientId: string;
  designId: string;
  /** Who did it; null when nobody did (an export ending). */
  actorId: string | null;
};

/** The event a message is about, so that one event gives each recipient one message whoever queues it. */
export function eventKeyOf(subject: NotificationSubject, designId: string): string {
  switch (subject.kind) {
    case NotificationKind.EXPORT_COMPLETED:
    case NotificationKind.EXPORT_FAILED:
      return `${subject.exportId}/${subject.run}`;
    case NotificationKind.COLLABORATOR_ADDED:
    case NotificationKind.LINK_JOINED:
      return `${designId}/${subject.revision}`;
    case NotificationKind.MENTIONED:
    case NotificationKind.COMMENT_REPLY:
      return subject.commentId;
  }
}
