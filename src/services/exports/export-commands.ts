import { randomUUID } from 'node:crypto';
import { ended, ExportStatus, FINAL_EXPORT_STATUSES, type ExportEntity, type ExportType } from '../../../entities/export.entity';
import { inTransaction, requireViewer, type ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { exportsRequested } from '../../observability/metrics';
import { exportJobId } from '../../jobs/job-ids';
import { TIER_PRIORITY } from '../../jobs/job-names';
import { findExportsByIds, insertExport, lockActiveExportCount, updateExportWhile } from '../../repositories/export.repository';
import { findVersion } from '../../repositories/version.repository';
import { Permission } from '../../domain/permissions';
import { requireAccess } from '../access/require-access';
import { loadDesignState } from '../state/load-design-state';
import type { DesignState } from '../../domain/design-state';
import { changeExport, exportEvent } from './export-lifecycle';
import { exportOptions, type ExportRequestProps } from './export-options';
import { exportSourcesFor } from './export-sources';
import type { ExportSources } from '../../render/scene-input';
import type { Tier } from '../../domain/tier';

/** Exports need edit rights on the design (contract README); returns the caller. */
async function assertCanExport(ctx: ServiceContext, designId: string) {
  const viewer = requireViewer(ctx);
  await requireAccess(ctx, Permission.Edit, designId, { what: 'exports' });
  return viewer;
}

/** Each user has a number of exports QUEUED or PROCESSING at once (by tier); one more is LIMIT_EXCEEDED. */
async function assertExportRoom(tx: ServiceContext, viewer: NonNullable<ServiceContext['viewer']>): Promise<void> {
  const limit = tx.config.limits[viewer.tier].activeExports;
  if ((await lockActiveExportCount(tx.manager, viewer.userId)) >= limit) {
    throw new DesignError(ErrorCode.LimitExceeded, `The ${viewer.tier} tier allows ${limit} exports in progress at once`, {
      limit,
      tier: viewer.tier,
    });
  }
}

/**
 * After commit, so that the worker finds the export. A queue that cannot take the job (Redis away)
 * leaves the export FAILED with the reason, never QUEUED for ever: retryExport can queue it again.
 */
function enqueueAfterCommit(tx: ServiceContext, exported: ExportEntity, tier: keyof typeof TIER_PRIORITY): void {
  tx.afterCommit(async () => {
    try {
      await tx.jobs.enqueue(
        'export-design',
        { exportId: exported.id, retryCount: exported.retryCount },
        { jobId: exportJobId(exported.id, exported.retryCount), priority: TIER_PRIORITY[tier] },
      );
      exportsRequested.inc();
    } catch (error) {
      const failed = { ...ended(ExportStatus.FAILED), error: `could not be queued: ${(error as Error).message}` };
      await inTransaction(tx, (after) => changeExport(after, exported, [ExportStatus.QUEUED], failed));
      return;
    }
    // Subscribers hear of the queued export once its job is there.
    await tx.events.publish(exportEvent(exported));
  });
}

/**
 * A QUEUED export of the current state or of a version; a worker makes the file. The state to export
 * is kept in the snapshot store under the export's id, so later edits do not change it.
 */
export async function exportDesign(
  ctx: ServiceContext,
  props: { designId: string; input: ExportRequestProps & { version?: number | null } },
): Promise<ExportEntity> {
  const viewer = await assertCanExport(ctx, props.designId);
  const options = exportOptions(props.input);
  // Prepared before the transaction: the state and the avatar and catalog data the file is made from.
  let state: DesignState;
  if (props.input.version !== undefined && props.input.version !== null) {
    const version = await findVersion(ctx.manager, props.designId, props.input.version);
    const [snapshot] = version ? await ctx.store.getSnapshots([version.snapshotId]) : [];
    if (!snapshot) throw badInput('version', `the design has no version ${props.input.version}`);
    state = snapshot.state;
  } else {
    state = (await loadDesignState(ctx, props.designId))!;
  }
  const sources = await exportSourcesFor(ctx, state);
  return inTransaction(ctx, async (tx) => {
    await assertExportRoom(tx, viewer);
    return queueExport(tx, {
      designId: props.designId,
      input: props.input,
      options,
      state,
      sources,
      requestedBy: viewer.userId,
      tier: viewer.tier,
    });
  });
}

/** The QUEUED export, its state kept under its id, its job enqueued after commit. */
async function queueExport(
  tx: ServiceContext,
  props: {
    designId: string;
    input: ExportRequestProps & { version?: number | null };
    options: ReturnType<typeof exportOptions>;
    state: DesignState;
    sources: ExportSources;
    requestedBy: string;
    tier: Tier;
  },
): Promise<ExportEntity> {
  const { state, input } = props;
  const now = new Date();
  const exported: ExportEntity = {
    id: randomUUID(),
    designId: props.designId,
    requestedBy: props.requestedBy,
    type: input.type as ExportType,
    format: input.format,
    status: ExportStatus.QUEUED,
    progress: 0,
    options: { ...props.options },
    version: input.version ?? null,
    revision: state.revision,
    fileKey: null,
    fileName: null,
    fileSize: null,
    error: null,
    retryCount: 0,
    requeueCount: 0,
    createdAt: now,
    queuedAt: now,
    startedAt: null,
    completedAt: null,
    expiresAt: null,
    stateKept: true,
    sources: props.sources,
  };
  await tx.store.saveSnapshot({
    id: exported.id,
    designId: exported.designId,
    revision: state.revision,
    state,
    createdAt: now,
    versionId: null,
  });
  await insertExport(tx.manager, exported);
  enqueueAfterCommit(tx, exported, props.tier);
  return exported;
}

async function loadForChange(ctx: ServiceContext, exportId: string) {
  const [exported] = await findExportsByIds(ctx.manager, [exportId]);
  if (!exported) throw notFound('Export');
  const viewer = await assertCanExport(ctx, exported.designId).catch((error) => {
    throw error instanceof DesignError && error.code === ErrorCode.NotFound ? notFound('Export') : error;
  });
  return { exported, viewer };
}

/** Stops a QUEUED or PROCESSING export; the worker sees the status and removes what it had written. */
export async function cancelExport(tx: ServiceContext, props: { exportId: string }): Promise<ExportEntity> {
  const { exported } = await loadForChange(tx, props.exportId);
  if (exported.status === ExportStatus.CANCELLED) return exported;
  if (FINAL_EXPORT_STATUSES.has(exported.status)) throw badInput('id', `the export is ${exported.status} already`);
  if (!(await changeExport(tx, exported, [ExportStatus.QUEUED, ExportStatus.PROCESSING], ended(ExportStatus.CANCELLED)))) {
    // The worker finished (or failed) it in the meantime.
    const [now] = await findExportsByIds(tx.manager, [exported.id]);
    throw badInput('id', `the export is ${now?.status ?? 'gone'} already`);
  }
  // A job that starts before it is removed finds the export CANCELLED and does nothing.
  tx.afterCommit(() => tx.jobs.remove('export-design', exportJobId(exported.id, exported.retryCount)).then(() => undefined));
  return exported;
}

/** Queues a FAILED or CANCELLED export again, from progress 0, counting the retry. */
export async function retryExport(tx: ServiceContext, props: { exportId: string }): Promise<ExportEntity> {
  const { exported, viewer } = await loadForChange(tx, props.exportId);
  if (exported.status !== ExportStatus.FAILED && exported.status !== ExportStatus.CANCELLED) {
    throw badInput('id', `only FAILED or CANCELLED exports can be retried; this one is ${exported.status}`);
  }
  await assertExportRoom(tx, viewer);
  if (!exported.stateKept) throw badInput('id', 'a FAILED or CANCELLED export can be retried for 7 days; export the design again');
  const queued = {
    status: ExportStatus.QUEUED,
    progress: 0,
    error: null,
    retryCount: exported.retryCount + 1,
    requeueCount: 0,
    queuedAt: new Date(),
    startedAt: null,
    completedAt: null,
    expiresAt: null,
  };
  // Two retries at once: the first one wins, the second finds it QUEUED.
  if (!(await updateExportWhile(tx.manager, exported.id, exported.retryCount, [ExportStatus.FAILED, ExportStatus.CANCELLED], queued))) {
    throw badInput('id', 'the export was retried already');
  }
  Object.assign(exported, queued);
  enqueueAfterCommit(tx, exported, viewer.tier);
  return exported;
}
