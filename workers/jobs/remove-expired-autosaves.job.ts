import type { JobHandler } from '../job-handler';

/** Runs on a schedule: autosaves past their expiry go (MongoDB's TTL index does the same on its own). */
export const removeExpiredAutosavesJob: JobHandler<'remove-expired-autosaves'> = {
  name: 'remove-expired-autosaves',
  async handle(_data, app) {
    return `removed ${await app.store.deleteExpiredAutosaves(new Date())} expired autosaves`;
  },
};
