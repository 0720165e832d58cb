import { FINAL_EXPORT_STATUSES, type ExportEntity, type ExportStatus } from '../../../entities/export.entity';
import type { ServiceContext } from '../../context';
import { notFound } from '../../errors/design-error';
import { DesignEventType } from '../../events/design-event';
import { closeWith } from './close-with';
import { designChanges } from './design-changes';

type ExportJson = Omit<ExportEntity, 'createdAt' | 'startedAt' | 'completedAt' | 'expiresAt'> & Record<string, unknown>;

/**
 * Each status or progress change of one export: its current state first, then every EXPORT_UPDATED
 * of it from the design's event stream (so access rules and clean-up are the same), until it ends.
 */
export async function exportUpdates(ctx: ServiceContext, exportId: string): Promise<AsyncIterableIterator<ExportJson | ExportEntity>> {
  const current = await ctx.loaders.readableExport.load(exportId);
  if (!current) throw notFound('Export');
  const events = await designChanges(ctx, current.designId);
  async function* run(): AsyncGenerator<ExportJson | ExportEntity> {
    try {
      yield current!;
      if (FINAL_EXPORT_STATUSES.has(current!.status)) return;
      for await (const event of events) {
        if (event.type !== DesignEventType.EXPORT_UPDATED || event.export?.id !== exportId) continue;
        const update = event.export as ExportJson;
        yield update;
        if (FINAL_EXPORT_STATUSES.has(update.status as ExportStatus)) return;
      }
    } finally {
      // Ending on a final status must let go of the design's live topic too.
      await events.return!();
    }
  }
  return closeWith(run(), { return: () => events.return!() });
}
