import { ended, ExportStatus, ExportType, type ExportEntity } from '../../entities/export.entity';
import { findExportsByIds, updateExportWhile } from '../../src/repositories/export.repository';
import { publishExport } from '../../src/services/exports/export-commands';
import type { ImageOptions, ModelOptions, TechpackOptions, VideoOptions } from '../../src/services/exports/export-options';
import type { AppServices } from '../../src/context';
import { worthRetrying, type JobHandler } from '../job-handler';
import { imageExport } from '../exports/image-export';
import { modelExport } from '../exports/model-export';
import { techpackExport } from '../exports/techpack-export';
import { videoExport } from '../exports/video-export';

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

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'design';

/**
 * Makes an export's file from the state kept under its id. Progress only grows within an attempt and
 * is saved and published as it goes; between steps the job looks for a cancellation and stops. A
 * failed attempt queues the export again until the job's attempts are used; the last one fails it.
 */
export const exportDesignJob: JobHandler<'export-design'> = {
  name: 'export-design',
  async handle({ exportId, retryCount }, app, attempt) {
    const [exported] = await findExportsByIds(app.db.manager, [exportId]);
    // An enqueue that timed out can still land after the export was retried: only the current run's job works.
    if (exported && retryCount !== undefined && retryCount !== exported.retryCount) return `superseded by run ${exported.retryCount}`;
    // PROCESSING here means a worker died mid-job and BullMQ handed the stalled job on: start over.
    if (!exported || (exported.status !== ExportStatus.QUEUED && exported.status !== ExportStatus.PROCESSING)) {
      return `nothing to do (${exported?.status ?? 'gone'})`;
    }
    /** Saves and publishes while the export is in one of `from`; false when a cancellation came first. */
    const save = async (fields: Partial<ExportEntity>, from = [ExportStatus.PROCESSING]) => {
      if (!(await updateExportWhile(app.db.manager, exported.id, from, fields))) return false;
      Object.assign(exported, fields);
      await publishExport(app, exported);
      return true;
    };
    const assertNotCancelled = async () => {
      const [now] = await findExportsByIds(app.db.manager, [exportId]);
      if (now?.status === ExportStatus.CANCELLED) throw new Cancelled();
    };
    const progress = async (fraction: number) => {
      await assertNotCancelled();
      const value = Math.min(99, Math.max(exported.progress, Math.floor(fraction * 100)));
      if (value > exported.progress) await save({ progress: value });
    };
    if (
      !(await save({ status: ExportStatus.PROCESSING, startedAt: new Date(), progress: 0 }, [ExportStatus.QUEUED, ExportStatus.PROCESSING]))
    ) {
      return 'cancelled before it started';
    }
    try {
      const [snapshot] = await app.store.getSnapshots([exported.id]);
      if (!snapshot) throw new Error('the state to export is missing from the snapshot store');
      const file = await produce(app, exported, snapshot.state, progress);
      await assertNotCancelled();
      const fileName = `${slug(snapshot.state.design.name)}-${exported.type.toLowerCase()}.${EXTENSION[exported.format]}`;
      const key = `exports/${exported.id}/${exported.retryCount}/${fileName}`;
      await app.files.put(key, file);
      const done = { ...ended(ExportStatus.COMPLETED), error: null, progress: 100, fileKey: key, fileName, fileSize: file.length };
      if (!(await save(done))) {
        // Cancelled while the file was being written: it goes with the export.
        await app.files.remove(key);
        return 'cancelled';
      }
      return `export ${exported.format} of ${file.length} bytes`;
    } catch (error) {
      // Files are written only at the very end: a cancellation before that leaves nothing to remove.
      if (error instanceof Cancelled) return 'cancelled';
      const message = (error as Error).message.slice(0, 1000);
      if (worthRetrying(attempt, error)) {
        // Queued again: BullMQ runs the job once more after its backoff, and the export starts over.
        if (!(await save({ status: ExportStatus.QUEUED, error: `attempt ${attempt.number} failed: ${message}` }))) return 'cancelled';
        throw error;
      }
      return (await save({ ...ended(ExportStatus.FAILED), error: message })) ? `failed: ${message}` : 'cancelled';
    }
  },
};

function produce(
  app: AppServices,
  exported: ExportEntity,
  state: Parameters<typeof imageExport>[1],
  progress: (f: number) => Promise<void>,
) {
  const options = exported.options as { image?: ImageOptions; model?: ModelOptions; video?: VideoOptions; techpack?: TechpackOptions };
  switch (exported.type) {
    case ExportType.IMAGE:
      return imageExport(app, state, options.image!, exported.format, progress);
    case ExportType.MODEL:
      return modelExport(app, state, options.model!, exported.format, progress);
    case ExportType.VIDEO:
      return videoExport(app, state, options.video!, exported.format, progress);
    case ExportType.TECHPACK:
      return techpackExport(
        app,
        state,
        options.techpack!,
        { version: exported.version, revision: exported.revision, exportedAt: new Date() },
        progress,
      );
  }
}
