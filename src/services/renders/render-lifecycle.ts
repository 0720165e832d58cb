import { RenderStatus, type RenderEntity } from '../../../entities/render.entity';
import type { ServiceContext } from '../../context';
import type { DesignState } from '../../domain/design-state';
import { DesignEventType, toJson } from '../../events/design-event';
import { findRendersByIds, updateRenderWhile } from '../../repositories/render.repository';

/**
 * What happens to a render after it is requested, as commands the render job calls: each in one
 * transaction, its RENDER_UPDATED event published after commit. Status changes are conditional, so
 * a late-landing job or a second worker never overwrites a finished render.
 */

const IN_FLIGHT = [RenderStatus.QUEUED, RenderStatus.RENDERING];

/** After commit: what subscribers of the design learn of the render (its scene sources stay out). */
export function publishRender(tx: ServiceContext, render: RenderEntity): void {
  const { sceneSources: _sources, ...shown } = render;
  tx.afterCommit(() =>
    tx.events.publish({
      designId: render.designId,
      revision: render.revision,
      type: DesignEventType.RENDER_UPDATED,
      actorId: render.requestedBy,
      at: new Date().toISOString(),
      sideband: true,
      render: toJson(shown),
    }),
  );
}

async function change(tx: ServiceContext, render: RenderEntity, fields: Partial<RenderEntity>): Promise<RenderEntity | null> {
  if (!(await updateRenderWhile(tx.manager, render.id, IN_FLIGHT, fields))) return null;
  Object.assign(render, fields);
  publishRender(tx, render);
  return render;
}

/** RENDERING, with the state and scene sources it was requested with; null when there is nothing left to render. */
export async function startRender(
  tx: ServiceContext,
  props: { renderId: string },
): Promise<{ render: RenderEntity; state: DesignState } | null> {
  const [render] = await findRendersByIds(tx.manager, [props.renderId]);
  // FAILED before it started: its enqueue timed out, and the job landed late.
  if (!render || !IN_FLIGHT.includes(render.status)) return null;
  const [snapshot] = await tx.store.getSnapshots([render.id]);
  if (!snapshot) throw new Error('the state to render is missing from the snapshot store');
  const started = await change(tx, render, { status: RenderStatus.RENDERING });
  return started && { render: started, state: snapshot.state };
}

/** COMPLETED with its file, which the render cache then offers to equal requests; the kept state goes. */
export async function completeRender(
  tx: ServiceContext,
  props: { render: RenderEntity; fileKey: string; durationMs: number },
): Promise<boolean> {
  const { render } = props;
  const now = new Date();
  const done = await change(tx, render, {
    status: RenderStatus.COMPLETED,
    error: null,
    fileKey: props.fileKey,
    durationMs: props.durationMs,
    completedAt: now,
  });
  if (!done) return false;
  await tx.store.putRenderCache({
    renderHash: render.renderHash,
    fileKey: props.fileKey,
    width: render.width,
    height: render.height,
    format: render.format,
    createdAt: now,
    expiresAt: new Date(now.getTime() + tx.config.renderCacheTtlMs),
  });
  await tx.store.deleteSnapshots([render.id]);
  return true;
}

/**
 * A failed attempt: QUEUED again with the reason while the job has attempts left (BullMQ runs it
 * again), else FAILED, and the kept state goes.
 */
export async function failRenderAttempt(
  tx: ServiceContext,
  props: { renderId: string; reason: string; attempt: number; final: boolean; durationMs?: number },
): Promise<RenderEntity | null> {
  const [render] = await findRendersByIds(tx.manager, [props.renderId]);
  if (!render) return null;
  const reason = props.reason.slice(0, 1000);
  if (!props.final) return change(tx, render, { status: RenderStatus.QUEUED, error: `attempt ${props.attempt} failed: ${reason}` });
  const failed = await change(tx, render, {
    status: RenderStatus.FAILED,
    error: reason,
    durationMs: props.durationMs ?? null,
    completedAt: new Date(),
  });
  if (failed) await tx.store.deleteSnapshots([render.id]);
  return failed;
}
