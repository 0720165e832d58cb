import { randomUUID } from 'node:crypto';
import { RenderStatus, type RenderEntity } from '../../../entities/render.entity';
import type { ServiceContext } from '../../context';
import { TIER_PRIORITY } from '../../jobs/job-names';
import { metrics } from '../../observability/metrics';
import { findRenderInFlight, insertRender, updateRender } from '../../repositories/render.repository';
import { assertCanEdit } from '../access/assert-can-edit';
import { loadDesignState } from '../state/load-design-state';
import { sceneSourcesFor } from './scene-input-for';
import { isDefaultRender, normalizeRenderSettings, renderHash, type RenderSettingsProps } from './render-settings';

/**
 * Answers at once: a COMPLETED render from the cache, the render of the same design and hash that
 * is already on its way, or a new QUEUED render whose job a worker picks up. A render is not a
 * change of the design: no revision, no change-log entry.
 */
export async function requestRender(
  ctx: ServiceContext,
  props: { designId: string; settings?: RenderSettingsProps | null },
): Promise<RenderEntity> {
  const viewer = await assertCanEdit(ctx, props.designId, 'renders');
  const state = (await loadDesignState(ctx, props.designId))!;
  const settings = normalizeRenderSettings(props.settings, state.canvas);
  const hash = renderHash(state, await sceneSourcesFor(ctx, state), settings);
  const now = new Date();
  const render: RenderEntity = {
    id: randomUUID(),
    designId: props.designId,
    requestedBy: viewer.userId,
    renderHash: hash,
    status: RenderStatus.QUEUED,
    cacheHit: false,
    width: settings.width,
    height: settings.height,
    format: settings.format,
    settings: { ...settings },
    defaultSettings: isDefaultRender(settings, state.canvas),
    revision: state.revision,
    fileKey: null,
    durationMs: null,
    error: null,
    createdAt: now,
    completedAt: null,
  };
  const cached = await ctx.store.getRenderCache(hash, now);
  if (cached) {
    Object.assign(render, { status: RenderStatus.COMPLETED, cacheHit: true, fileKey: cached.fileKey, durationMs: 0, completedAt: now });
    await insertRender(ctx.manager, render);
    metrics.renderRequests.cache_hit += 1;
    return render;
  }
  const inFlight = await findRenderInFlight(ctx.manager, props.designId, hash);
  if (inFlight) {
    metrics.renderRequests.in_progress += 1;
    return inFlight;
  }
  await ctx.store.saveSnapshot({ id: render.id, designId: render.designId, revision: state.revision, state, createdAt: now });
  await insertRender(ctx.manager, render);
  try {
    await ctx.jobs.enqueue(
      'render-design',
      { renderId: render.id },
      { jobId: `render-${render.id}`, priority: TIER_PRIORITY[viewer.tier] },
    );
  } catch (error) {
    // FAILED with the reason, so that equal requests do not wait on a render nobody will make.
    Object.assign(render, {
      status: RenderStatus.FAILED,
      error: `could not be queued: ${(error as Error).message}`,
      completedAt: new Date(),
    });
    await updateRender(ctx.manager, render.id, { status: render.status, error: render.error, completedAt: render.completedAt });
    return render;
  }
  metrics.renderRequests.queued += 1;
  return render;
}
