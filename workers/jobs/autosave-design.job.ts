import { createServiceContext, inTransaction } from '../../src/context';
import { recordAutosave } from '../../src/services/autosave/record-autosave';
import { loadDesignState } from '../../src/services/state/load-design-state';
import type { JobHandler } from '../job-handler';
import { autosaveDuration } from '../../src/observability/metrics';

export const autosaveDesignJob: JobHandler<'autosave-design'> = {
  name: 'autosave-design',
  async handle({ designId }, app) {
    const end = autosaveDuration.startTimer();
    const ctx = createServiceContext(app, null);
    const state = await loadDesignState(ctx, designId);
    if (!state) return 'design gone';
    const saved = await inTransaction(ctx, (tx) => recordAutosave(tx, { designId, state }));
    end();
    return saved;
  },
};
