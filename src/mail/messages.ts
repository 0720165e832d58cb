import { NotificationKind } from '../domain/notifications';

/** What a message says, gathered when it is sent. Names come from the users subgraph and may be missing. */
export interface MessageFacts {
  designName: string;
  /** `<APP_URL>/designs/<id>`, with `?comment=<id>` for comment messages. */
  designUrl: string;
  actorName: string | null;
  recipientName: string | null;
  about:
    | {
        kind: NotificationKind.EXPORT_COMPLETED;
        exportType: string;
        format: string;
        fileName: string;
        downloadUrl: string;
        linkExpiresAt: Date;
      }
    | { kind: NotificationKind.EXPORT_FAILED; exportType: string; format: string }
    | { kind: NotificationKind.COLLABORATOR_ADDED | NotificationKind.LINK_JOINED; role: string }
    | { kind: NotificationKind.MENTIONED | NotificationKind.COMMENT_REPLY; excerpt: string };
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A header carries one line: a name with a line break in it must not start another header. */
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').trim();

const roleName = (role: string) => role.toLowerCase();

/** One paragraph of a message: plain text, or a link (its label and address). */
type Part = string | { label: string; href: string };

/**
 * Subject, plain text and HTML of one message (EM5). Everything that comes from people (design
 * names, user names, comment words) is escaped in the HTML and kept to one line in the subject; the
 * only link that grants anything is an export's signed download link.
 */
export function composeMessage(facts: MessageFacts): ComposedMessage {
  const design = `“${oneLine(facts.designName)}”`;
  const actor = oneLine(facts.actorName ?? '') || 'Someone';
  const greeting = `Hello${facts.recipientName ? ` ${oneLine(facts.recipientName)}` : ''},`;
  const { subject, parts } = body(facts, design, actor);
  const text = [greeting, ...parts.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.href}`))].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...parts.map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`
        : `<p><a href="${escapeHtml(p.href)}">${escapeHtml(p.label)}</a></p>`,
    ),
    '<p style="color: #666; font-size: smaller">You can turn these e-mails off in your notification settings.</p>',
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(subject), text: `${text}\n\n-- \nYou can turn these e-mails off in your notification settings.\n`, html };
}

function body(facts: MessageFacts, design: string, actor: string): { subject: string; parts: Part[] } {
  const { about } = facts;
  const open = { label: 'Open the design', href: facts.designUrl };
  switch (about.kind) {
    case NotificationKind.EXPORT_COMPLETED:
      return {
        subject: `Your ${about.format} export of ${design} is ready`,
        parts: [
          `Your ${about.exportType.toLowerCase()} export of ${design} (${about.format}) is ready: ${about.fileName}.`,
          { label: 'Download it', href: about.downloadUrl },
          `This download link works until ${about.linkExpiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC; the design's exports list gives a fresh one while the file is kept.`,
          open,
        ],
      };
    case NotificationKind.EXPORT_FAILED:
      return {
        subject: `Your ${about.format} export of ${design} failed`,
        parts: [
          `Your ${about.exportType.toLowerCase()} export of ${design} (${about.format}) could not be made.`,
          'The design shows why, and you can try it again from there for 7 days.',
          open,
        ],
      };
    case NotificationKind.COLLABORATOR_ADDED:
      return {
        subject: `${actor} added you to ${design}`,
        parts: [`${actor} added you to the design ${design} as ${roleName(about.role)}.`, open],
      };
    case NotificationKind.LINK_JOINED:
      return {
        subject: `${actor} joined ${design} through a share link`,
        parts: [`${actor} joined your design ${design} as ${roleName(about.role)} through one of its share links.`, open],
      };
    case NotificationKind.MENTIONED:
      return {
        subject: `${actor} mentioned you on ${design}`,
        parts: [`${actor} mentioned you in a comment on ${design}:`, quote(about.excerpt), { ...open, label: 'Open the comment' }],
      };
    case NotificationKind.COMMENT_REPLY:
      return {
        subject: `${actor} replied to your comment on ${design}`,
        parts: [`${actor} replied to your comment on ${design}:`, quote(about.excerpt), { ...open, label: 'Open the comment' }],
      };
  }
}

const quote = (excerpt: string) =>
  excerpt
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
