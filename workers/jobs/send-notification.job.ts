import { createServiceContext } from '../../src/context';
import { deliverNotification } from '../../src/services/notifications/delivery';
import type { JobHandler } from '../job-handler';

/** One e-mail to one recipient (services/notifications/delivery): sent at most once, retried with backoff. */
export const sendNotificationJob: JobHandler<'send-notification'> = {
  name: 'send-notification',
  handle: (data, app) => deliverNotification(createServiceContext(app, null), app.mailer, data),
};
