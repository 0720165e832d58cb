import type { ServiceContext } from '../../context';
import { deleteDeliveriesBefore } from '../../repositories/notification.repository';

/**
 * How long a sent (or skipped) message is remembered (EM3): far longer than any job that sends it
 * lives, retries and a stalled worker's take-over included.
 */
export const DELIVERY_KEEP_MS = 30 * 24 * 3600 * 1000;

/** Forgets the messages queued more than DELIVERY_KEEP_MS ago. */
export async function expireDeliveries(tx: ServiceContext, props: { now: Date }): Promise<string> {
  const removed = await deleteDeliveriesBefore(tx.manager, new Date(props.now.getTime() - DELIVERY_KEEP_MS));
  return `removed ${removed} notification delivery records`;
}
