import { createServiceContext, inTransaction } from '../../src/context';
import { recordAutosave } from '../../src/services/autosave/record-autosave';
import { loadDesignState } from '../../src/services/state/load-design-state';
import type { JobHandler } from '../job-handler';

export const autosaveDesignJob: JobHandler<'autosave-design'> = {
  name: 'autosave-design',
  async handle({ designId }, app) {
    const ctx = createServiceContext(app, null);
    const state = await loadDesignState(ctx, designId);
    if (!state) return 'design gone';
    return inTransaction(ctx, (tx) => recordAutosave(tx, { designId, state }));
  },
};
