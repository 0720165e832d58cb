import type { ServiceContext } from '../../context';
import { deleteViewsBefore } from '../../repositories/design-reaction.repository';
import { dayOf } from '../designs/reactions';

/** Rows of who viewed which design forgotten per call (per transaction). */
export const VIEW_EXPIRY_BATCH = 5000;

/** Who viewed a design before yesterday no longer matters: only today's rows decide whether a view counts. */
export async function forgetOldViews(tx: ServiceContext, props: { now: Date }): Promise<number> {
  return deleteViewsBefore(tx.manager, dayOf(new Date(props.now.getTime() - 24 * 3600 * 1000)), VIEW_EXPIRY_BATCH);
}
