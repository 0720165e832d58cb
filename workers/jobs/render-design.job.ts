import sharp from 'sharp';
import { RenderStatus, type RenderEntity } from '../../entities/render.entity';
import { createServiceContext, type AppServices } from '../../src/context';
import { DesignEventType, toJson } from '../../src/events/design-event';
import { encodeImage } from '../../src/render/encode-image';
import { findRendersByIds, updateRender } from '../../src/repositories/render.repository';
import { PIXEL_RATIO, type RenderSettings } from '../../src/services/renders/render-settings';
import { sceneInputFor } from '../../src/services/renders/scene-input-for';
import { worthRetrying, type JobHandler } from '../job-handler';
import { sharedRenderer } from '../shared-renderer';

async function publish(app: AppServices, render: RenderEntity) {
  await app.events.publish({
    designId: render.designId,
    revision: render.revision,
    type: DesignEventType.RENDER_UPDATED,
    actorId: render.requestedBy,
    at: new Date().toISOString(),
    sideband: true,
    render: toJson(render),
  });
}

/**
 * Renders the state a render was requested at (kept in the snapshot store under the render's id),
 * encodes it, stores the file, fills the render cache, and reports every status change as
 * RENDER_UPDATED.
 */
export const renderDesignJob: JobHandler<'render-design'> = {
  name: 'render-design',
  async handle({ renderId }, app, attempt) {
    const [render] = await findRendersByIds(app.db.manager, [renderId]);
    // FAILED before it started: the enqueue timed out and landed late.
    if (!render || render.status === RenderStatus.COMPLETED || render.status === RenderStatus.FAILED) return 'nothing to render';
    const started = Date.now();
    Object.assign(render, { status: RenderStatus.RENDERING });
    await updateRender(app.db.manager, render.id, { status: RenderStatus.RENDERING });
    await publish(app, render);
    try {
      const [snapshot] = await app.store.getSnapshots([render.id]);
      if (!snapshot) throw new Error('the state to render is missing from the snapshot store');
      const settings = render.settings as unknown as RenderSettings;
      const input = await sceneInputFor(createServiceContext(app, null), snapshot.state, {
        width: settings.width,
        height: settings.height,
        transparentBackground: settings.transparentBackground,
        camera: settings.camera,
        pixelRatio: PIXEL_RATIO[settings.quality] ?? 1,
      });
      const png = await (await sharedRenderer(app.config.renderer)).render(input);
      const image = await encodeImage(sharp(png).resize(settings.width, settings.height, { fit: 'fill' }), settings.format);
      // A file per rendering, never overwritten: the clean-up can remove it without racing a new render.
      const fileKey = `renders/${render.renderHash}/${render.id}.${settings.format.toLowerCase()}`;
      await app.files.put(fileKey, image);
      const now = new Date();
      await app.store.putRenderCache({
        renderHash: render.renderHash,
        fileKey,
        width: render.width,
        height: render.height,
        format: render.format,
        createdAt: now,
        expiresAt: new Date(now.getTime() + app.config.renderCacheTtlMs),
      });
      Object.assign(render, { status: RenderStatus.COMPLETED, error: null, fileKey, durationMs: Date.now() - started, completedAt: now });
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      if (worthRetrying(attempt, error)) {
        // BullMQ runs the job again after its backoff.
        Object.assign(render, { status: RenderStatus.QUEUED, error: `attempt ${attempt.number} failed: ${message}` });
        await updateRender(app.db.manager, render.id, { status: render.status, error: render.error });
        await publish(app, render);
        throw error;
      }
      Object.assign(render, { status: RenderStatus.FAILED, error: message, durationMs: Date.now() - started, completedAt: new Date() });
    }
    await updateRender(app.db.manager, render.id, {
      status: render.status,
      fileKey: render.fileKey,
      durationMs: render.durationMs,
      error: render.error,
      completedAt: render.completedAt,
    });
    // The state was kept for this job alone; a render is never made again from it.
    await app.store.deleteSnapshots([render.id]);
    await publish(app, render);
    return `render ${render.status.toLowerCase()} in ${render.durationMs} ms`;
  },
};
