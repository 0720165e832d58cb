import { randomUUID } from 'node:crypto';
import { RenderStatus, type RenderEntity } from '../../../entities/render.entity';
import { inTransaction, requireViewer, type ServiceContext } from '../../context';
import { renderJobId } from '../../jobs/job-ids';
import { TIER_PRIORITY } from '../../jobs/job-names';
import { logger } from '../../logger';
import { countCache, renderRequests } from '../../observability/metrics';
import { findLastSceneSources, findNewestRender, insertRender, insertRenderUnlessInFlight } from '../../repositories/render.repository';
import type { DesignState } from '../../domain/design-state';
import { DesignError, ErrorCode } from '../../errors/design-error';
import type { SceneSources } from '../../render/scene-input';
import { Permission } from '../../domain/permissions';
import { requireAccess } from '../access/require-access';
import { loadDesignState } from '../state/load-design-state';
import { failRenderAttempt } from './render-lifecycle';
import { sceneSourcesFor } from './scene-input-for';
import { isDefaultRender, normalizeRenderSettings, renderHash, type RenderSettingsProps } from './render-settings';

/**
 * Answers at once: a COMPLETED render from the cache, the render of the same design and hash that
 * is already on its way, or a new QUEUED render whose job a worker picks up after commit. A render is
 * not a change of the design: no revision, no change-log entry.
 *
 * Prepared first, outside the transaction: the state (from the state cache) and the avatar and
 * catalog data it hashes, which are kept with the render so the worker draws what was hashed.
 */
export async function requestRender(
  ctx: ServiceContext,
  props: { designId: string; settings?: RenderSettingsProps | null },
): Promise<RenderEntity> {
  const viewer = requireViewer(ctx);
  await requireAccess(ctx, Permission.Edit, props.designId, { what: 'renders' });
  const state = (await loadDesignState(ctx, props.designId))!;
  const settings = normalizeRenderSettings(props.settings, state.canvas);
  const { sources, lastKnown } = await currentOrLastKnownSources(ctx, props.designId, state);
  const hash = renderHash(state, sources, settings);
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
    sceneSources: sources,
    fileKey: null,
    durationMs: null,
    error: null,
    requeueCount: 0,
    createdAt: now,
    queuedAt: now,
    completedAt: null,
  };
  const answer = await inTransaction(ctx, async (tx): Promise<{ render: RenderEntity; isNew: boolean }> => {
    const cached = await tx.store.getRenderCache(hash, now);
    // Without the catalog only a render already made can be answered: the upstream error stands otherwise.
    if (!cached && lastKnown) throw lastKnown;
    tx.afterCommit(() => countCache('render', !!cached));
    if (cached) {
      Object.assign(render, { status: RenderStatus.COMPLETED, cacheHit: true, fileKey: cached.fileKey, durationMs: 0, completedAt: now });
      await insertRender(tx.manager, render);
      tx.afterCommit(() => renderRequests.inc({ outcome: 'cache_hit' }));
      return { render, isNew: false };
    }
    // The unique index on renders in flight decides between equal requests at the same moment.
    if (!(await insertRenderUnlessInFlight(tx.manager, render))) {
      tx.afterCommit(() => renderRequests.inc({ outcome: 'in_progress' }));
      return { render: (await findNewestRender(tx.manager, props.designId, hash))!, isNew: false };
    }
    await tx.store.saveSnapshot({
      id: render.id,
      designId: render.designId,
      revision: state.revision,
      state,
      createdAt: now,
      versionId: null,
    });
    return { render, isNew: true };
  });
  if (!answer.isNew) return answer.render;
  // Committed: the worker finds the render. The caller waits for the queue (at most 2 s) so that it
  // learns at once of a render nobody will make.
  return enqueueRender(ctx, render, TIER_PRIORITY[viewer.tier]);
}

/**
 * The avatar and catalog data the render is drawn from; with the catalog or avatar subgraph away, the
 * data the last render of this revision was drawn from, and the upstream error, so that a render
 * already in the cache is answered anyway.
 */
async function currentOrLastKnownSources(
  ctx: ServiceContext,
  designId: string,
  state: DesignState,
): Promise<{ sources: SceneSources; lastKnown: DesignError | null }> {
  try {
    return { sources: await sceneSourcesFor(ctx, state), lastKnown: null };
  } catch (error) {
    if (!(error instanceof DesignError) || error.code !== ErrorCode.UpstreamUnavailable) throw error;
    const sources = await findLastSceneSources(ctx.manager, designId, state.revision);
    if (!sources) throw error;
    return { sources, lastKnown: error };
  }
}

/**
 * A queue that does not take the job (Redis away) leaves the render FAILED with the reason, so equal
 * requests do not wait on a render nobody will make.
 */
async function enqueueRender(ctx: ServiceContext, render: RenderEntity, priority: number): Promise<RenderEntity> {
  try {
    await ctx.jobs.enqueue('render-design', { renderId: render.id }, { jobId: renderJobId(render.id), priority });
    renderRequests.inc({ outcome: 'queued' });
    return render;
  } catch (error) {
    logger.warn({ err: error, renderId: render.id }, 'render could not be queued');
    const reason = `could not be queued: ${(error as Error).message}`;
    const failed = await inTransaction(ctx, (tx) => failRenderAttempt(tx, { renderId: render.id, reason, attempt: 0, final: true }));
    return failed ?? render;
  }
}
