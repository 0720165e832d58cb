import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config';

export interface MailMessage {
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string;
  /**
   * The same for every attempt at one message, so that the at-least-once window of the delivery
   * table (EM3) shows the recipient's mail system one Message-ID twice, never two messages.
   */
  messageId: string;
}

/** Sends one message; resolves once the SMTP server has taken it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP with short timeouts: a send that hangs would hold its delivery's claim (EM3) and the job's
 * lock. One connection per message; notifications are few.
 */
export function createMailer(mail: MailConfig): Mailer | null {
  if (!mail.smtpUrl) return null;
  const transport = createTransport(
    { url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: mail.from },
  );
  return {
    async send(message) {
      await transport.sendMail({
        to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
      });
    },
    close: () => transport.close(),
  };
}
