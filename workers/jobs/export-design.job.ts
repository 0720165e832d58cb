import { randomUUID } from 'node:crypto';
import { ExportType, type ExportEntity } from '../../entities/export.entity';
import type { DesignState } from '../../src/domain/design-state';
import type { ExportSources } from '../../src/render/scene-input';
import { exportSourcesFor } from '../../src/services/exports/export-sources';
import { completeExport, failExportAttempt, reportExportProgress, startExport } from '../../src/services/exports/export-lifecycle';
import type { ImageOptions, ModelOptions, TechpackOptions, VideoOptions } from '../../src/services/exports/export-options';
import { createServiceContext, inTransaction, type AppServices } from '../../src/context';
import { worthRetrying, type JobHandler } from '../job-handler';
import { ServiceTimeoutError, within } from '../../src/async/within';
import { exportDuration } from '../../src/observability/metrics';
import { imageExport } from '../../src/exports/image-export';
import { modelExport } from '../../src/exports/model-export';
import { techpackExport } from '../../src/exports/techpack-export';
import { videoExport } from '../../src/exports/video-export';

const EXTENSION: Record<string, string> = {
  PNG: 'png',
  JPEG: 'jpg',
  WEBP: 'webp',
  GLB: 'glb',
  GLTF: 'gltf',
  OBJ: 'obj',
  MP4: 'mp4',
  WEBM: 'webm',
  GIF: 'gif',
  PDF: 'pdf',
};

class Cancelled extends Error {}

const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms} ms`);

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'design';

/**
 * Makes an export's file from the state kept under its id; the export's status changes are commands
 * (services/exports/export-lifecycle). Between steps the job looks for a cancellation and stops.
 */
export const exportDesignJob: JobHandler<'export-design'> = {
  name: 'export-design',
  async handle({ exportId, retryCount }, app, attempt) {
    const ctx = createServiceContext(app, null);
    const started = await inTransaction(ctx, (tx) => startExport(tx, { exportId, retryCount }));
    if ('skipped' in started) return started.skipped;
    const { exported, state } = started;
    // Past the attempt's time the work stops at its next progress report; the attempt fails at once.
    let overtime = false;
    const progress = async (fraction: number) => {
      if (overtime) throw new Cancelled();
      if (!(await inTransaction(ctx, (tx) => reportExportProgress(tx, { exported, fraction })))) throw new Cancelled();
    };
    try {
      if (!state) throw new Error('the state to export is missing from the snapshot store');
      // Exports asked before their sources were kept read them now.
      const sources = exported.sources ?? (await exportSourcesFor(ctx, state));
      const limit = app.config.exportAttemptTimeoutMs;
      const end = exportDuration.startTimer({ type: exported.type, format: exported.format });
      const file = await within(
        produce(app, exported, state, sources, progress),
        limit,
        `the attempt took longer than ${duration(limit)}`,
      ).catch((error: unknown) => {
        if (error instanceof ServiceTimeoutError) overtime = true;
        throw error;
      });
      end();
      // No progress, only the check: a cancellation may have come while the last step ran.
      await progress(0);
      const fileName = `${slug(state.design.name)}-${exported.type.toLowerCase()}.${EXTENSION[exported.format]}`;
      // One folder per run of the job: a run that lost to another removes only its own file.
      const fileKey = `exports/${exported.id}/${exported.retryCount}-${randomUUID().slice(0, 8)}/${fileName}`;
      await app.files.put(fileKey, file);
      if (!(await inTransaction(ctx, (tx) => completeExport(tx, { exported, fileKey, fileName, fileSize: file.length })))) {
        // Cancelled while the file was being written: it goes with the export.
        await app.files.remove(fileKey);
        return 'cancelled';
      }
      return `export ${exported.format} of ${file.length} bytes`;
    } catch (error) {
      // Files are written only at the very end: a cancellation before that leaves nothing to remove.
      if (error instanceof Cancelled) return 'cancelled';
      const final = !worthRetrying(attempt, error);
      const reason = (error as Error).message;
      if (!(await inTransaction(ctx, (tx) => failExportAttempt(tx, { exported, reason, attempt: attempt.number, final }))))
        return 'cancelled';
      // Queued again: BullMQ runs the job once more after its backoff, and the export starts over.
      if (!final) throw error;
      return `failed: ${reason}`;
    }
  },
};

function produce(
  app: AppServices,
  exported: ExportEntity,
  state: DesignState,
  sources: ExportSources,
  progress: (f: number) => Promise<void>,
) {
  const options = exported.options as { image?: ImageOptions; model?: ModelOptions; video?: VideoOptions; techpack?: TechpackOptions };
  /** exportOptions() wrote the options of the export's type; a row without them is reported, not guessed. */
  const of = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the export has no ${exported.type.toLowerCase()} options`);
    return value;
  };
  switch (exported.type) {
    case ExportType.IMAGE:
      return imageExport(app, state, sources, of(options.image), exported.format, progress);
    case ExportType.MODEL:
      return modelExport(app, state, sources, of(options.model), exported.format, progress);
    case ExportType.VIDEO:
      return videoExport(app, state, sources, of(options.video), exported.format, progress);
    case ExportType.TECHPACK:
      return techpackExport(
        app,
        state,
        sources,
        of(options.techpack),
        { version: exported.version, revision: exported.revision, exportedAt: new Date() },
        progress,
      );
  }
}
