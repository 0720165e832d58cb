import type { ServiceContext } from '../../context';

/**
 * Debounced autosave: the first change after an autosave schedules one `autosaveDelayMs` later; the
 * deterministic job id makes every further change before then a no-op, so one is pending per design.
 */
export async function scheduleAutosave(ctx: ServiceContext, designId: string): Promise<void> {
  await ctx.jobs.enqueue('autosave-design', { designId }, { jobId: `autosave-${designId}`, delayMs: ctx.config.autosaveDelayMs });
}
