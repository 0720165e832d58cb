import { ended, ExportStatus, type ExportEntity } from '../../../entities/export.entity';
import type { ServiceContext } from '../../context';
import type { DesignState } from '../../domain/design-state';
import { DesignEventType, toJson, type DesignEventMessage } from '../../events/design-event';
import { NotificationKind } from '../../domain/notifications';
import { findExportsByIds, updateExportWhile } from '../../repositories/export.repository';
import { notify } from '../notifications/notify';

/**
 * What happens to an export after it is asked for, as commands the export job calls: each in one
 * transaction, its EXPORT_UPDATED event published after commit. Status changes are conditional, so
 * a cancellation, a retry, a start and a completion never overwrite one another.
 */

/** What subscribers of the design and of the export learn of it. */
export function exportEvent(exported: ExportEntity): DesignEventMessage {
  return {
    designId: exported.designId,
    revision: exported.revision,
    type: DesignEventType.EXPORT_UPDATED,
    actorId: exported.requestedBy,
    at: new Date().toISOString(),
    sideband: true,
    export: toJson(exported),
  };
}

function publishExport(tx: ServiceContext, exported: ExportEntity): void {
  const event = exportEvent(exported);
  tx.afterCommit(() => tx.events.publish(event));
}

/** Changes the export while its status is one of `from` and its run is this one; false when something else (a cancellation, a retry) came first. */
export async function changeExport(
  tx: ServiceContext,
  exported: ExportEntity,
  from: ExportStatus[],
  fields: Partial<ExportEntity>,
): Promise<boolean> {
  if (!(await updateExportWhile(tx.manager, exported.id, exported.retryCount, from, fields))) return false;
  Object.assign(exported, fields);
  publishExport(tx, exported);
  return true;
}

/** `state` null: the state kept for it is gone, which the job reports as a failed attempt. */
export type StartedExport = { exported: ExportEntity; state: DesignState | null } | { skipped: string };

/**
 * PROCESSING from progress 0, with the state it was asked for. PROCESSING already means a worker died
 * mid-job and BullMQ handed the stalled job on: it starts over. A job of an earlier run (an enqueue
 * that timed out and landed after a retry) does nothing.
 */
export async function startExport(tx: ServiceContext, props: { exportId: string; retryCount?: number }): Promise<StartedExport> {
  const [exported] = await findExportsByIds(tx.manager, [props.exportId]);
  if (exported && props.retryCount !== undefined && props.retryCount !== exported.retryCount)
    return { skipped: `superseded by run ${exported.retryCount}` };
  if (!exported || (exported.status !== ExportStatus.QUEUED && exported.status !== ExportStatus.PROCESSING)) {
    return { skipped: `nothing to do (${exported?.status ?? 'gone'})` };
  }
  const [snapshot] = await tx.store.getSnapshots([exported.id]);
  const running = { status: ExportStatus.PROCESSING, startedAt: new Date(), progress: 0 };
  if (!(await changeExport(tx, exported, [ExportStatus.QUEUED, ExportStatus.PROCESSING], running)))
    return { skipped: 'cancelled before it started' };
  return { exported, state: snapshot?.state ?? null };
}

/** Progress only grows within an attempt, and stays under 100 until the file is there; false once cancelled. */
export async function reportExportProgress(tx: ServiceContext, props: { exported: ExportEntity; fraction: number }): Promise<boolean> {
  const { exported } = props;
  const value = Math.min(99, Math.max(exported.progress, Math.floor(props.fraction * 100)));
  if (value <= exported.progress) {
    const [now] = await findExportsByIds(tx.manager, [exported.id]);
    return now?.status === ExportStatus.PROCESSING && now.retryCount === exported.retryCount;
  }
  return changeExport(tx, exported, [ExportStatus.PROCESSING], { progress: value });
}

/** Who asked for the export hears that it ended, by e-mail too (nobody acted: the requester is told). */
function notifyRequester(
  tx: ServiceContext,
  exported: ExportEntity,
  kind: NotificationKind.EXPORT_COMPLETED | NotificationKind.EXPORT_FAILED,
) {
  return notify(tx, {
    kind,
    designId: exported.designId,
    recipientIds: [exported.requestedBy],
    actorId: null,
    exportId: exported.id,
    run: exported.retryCount,
  });
}

/** COMPLETED with its file, kept 7 days; false when it was cancelled while the file was written. */
export async function completeExport(
  tx: ServiceContext,
  props: { exported: ExportEntity; fileKey: string; fileName: string; fileSize: number },
): Promise<boolean> {
  const { exported, ...file } = props;
  const completed = await changeExport(tx, exported, [ExportStatus.PROCESSING], {
    ...ended(ExportStatus.COMPLETED),
    error: null,
    progress: 100,
    ...file,
  });
  if (completed) await notifyRequester(tx, exported, NotificationKind.EXPORT_COMPLETED);
  return completed;
}

/**
 * A failed attempt: QUEUED again with the reason while the job has attempts left (BullMQ runs it
 * again and the export starts over), else FAILED. False when it was cancelled meanwhile.
 */
export async function failExportAttempt(
  tx: ServiceContext,
  props: { exported: ExportEntity; reason: string; attempt: number; final: boolean },
): Promise<boolean> {
  const reason = props.reason.slice(0, 1000);
  const fields = props.final
    ? { ...ended(ExportStatus.FAILED), error: reason }
    : { status: ExportStatus.QUEUED, error: `attempt ${props.attempt} failed: ${reason}` };
  const changed = await changeExport(tx, props.exported, [ExportStatus.PROCESSING], fields);
  if (changed && props.final) await notifyRequester(tx, props.exported, NotificationKind.EXPORT_FAILED);
  return changed;
}
