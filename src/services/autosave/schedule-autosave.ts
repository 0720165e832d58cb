import type { ServiceContext } from '../../context';

/**
 * Debounced autosave: the first change after an autosave schedules one `autosaveDelayMs` later; the
 * deterministic job id makes every further change before then a no-op, so one is pending per design.
 * A change made while that job runs is caught by a follow-up the job schedules (`followUp`).
 */
export async function scheduleAutosave(ctx: ServiceContext, designId: string, followUp?: string): Promise<void> {
  const jobId = followUp ? `autosave-${designId}-${followUp}` : `autosave-${designId}`;
  await ctx.jobs.enqueue('autosave-design', { designId }, { jobId, delayMs: ctx.config.autosaveDelayMs });
}
