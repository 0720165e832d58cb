import type { ServiceContext } from '../../context';

/** Autosaves past their expiry go (MongoDB's TTL index does the same on its own). */
export async function expireAutosaves(tx: ServiceContext, props: { now: Date }): Promise<string> {
  return `removed ${await tx.store.deleteExpiredAutosaves(props.now)} expired autosaves`;
}
