import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { RenderEntity } from '../../entities/render.entity';
import { createServiceContext, inTransaction, type ServiceContext } from '../../src/context';
import type { DesignState } from '../../src/domain/design-state';
import { encodeImage } from '../../src/render/encode-image';
import { completeRender, failRenderAttempt, startRender } from '../../src/services/renders/render-lifecycle';
import { PIXEL_RATIO, type RenderSettings } from '../../src/services/renders/render-settings';
import { sceneInputFor } from '../../src/services/renders/scene-input-for';
import { worthRetrying, type JobHandler } from '../job-handler';
import { sharedRenderer } from '../../src/render/shared-renderer';

/**
 * Renders the state a render was requested at with the scene sources its hash covers, encodes it
 * and stores the file; the render's status changes are commands (services/renders/render-lifecycle).
 */
export const renderDesignJob: JobHandler<'render-design'> = {
  name: 'render-design',
  async handle({ renderId }, app, attempt) {
    const ctx = createServiceContext(app, null);
    const started = Date.now();
    try {
      const job = await inTransaction(ctx, (tx) => startRender(tx, { renderId }));
      if (!job) return 'nothing to render';
      const fileKey = await renderFile(ctx, job.render, job.state);
      const durationMs = Date.now() - started;
      const done = await inTransaction(ctx, (tx) => completeRender(tx, { render: job.render, fileKey, durationMs }));
      if (!done) await app.files.remove(fileKey);
      return done ? `render completed in ${durationMs} ms` : 'render finished elsewhere';
    } catch (error) {
      const final = !worthRetrying(attempt, error);
      const reason = (error as Error).message;
      await inTransaction(ctx, (tx) =>
        failRenderAttempt(tx, { renderId, reason, attempt: attempt.number, final, durationMs: Date.now() - started }),
      );
      // BullMQ runs the job again after its backoff.
      if (!final) throw error;
      return `render failed: ${reason}`;
    }
  },
};

async function renderFile(ctx: ServiceContext, render: RenderEntity, state: DesignState): Promise<string> {
  const settings = render.settings as unknown as RenderSettings;
  const scene = {
    width: settings.width,
    height: settings.height,
    transparentBackground: settings.transparentBackground,
    camera: settings.camera,
    pixelRatio: PIXEL_RATIO[settings.quality] ?? 1,
  };
  // Renders requested before their sources were kept read them now.
  const input = render.sceneSources ? { state, settings: scene, ...render.sceneSources } : await sceneInputFor(ctx, state, scene);
  const png = await (await sharedRenderer(ctx.config.renderer)).render(input);
  const image = await encodeImage(sharp(png).resize(settings.width, settings.height, { fit: 'fill' }), settings.format);
  // A file per run, never overwritten: the clean-up can remove it without racing a new render, and a
  // run that lost to another (a stalled job run twice) removes only its own file.
  const fileKey = `renders/${render.renderHash}/${render.id}-${randomUUID().slice(0, 8)}.${settings.format.toLowerCase()}`;
  await ctx.files.put(fileKey, image);
  return fileKey;
}
