/**
 * Deterministic job ids: one job per render, one per run of an export. While a job with the id
 * exists, adding it again is a no-op, so the reconciler can queue a lost job again under the id its
 * producer used without ever making two.
 */
export const renderJobId = (renderId: string) => `render-${renderId}`;
export const exportJobId = (exportId: string, retryCount: number) => `export-${exportId}-${retryCount}`;
/** One job per message (kind, event, recipient): queuing the same message again while it waits is a no-op. */
export const notificationJobId = (key: string) => `notify-${key.replace(/[:/]/g, '_')}`;
