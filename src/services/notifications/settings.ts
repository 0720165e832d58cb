import { requireViewer, type ServiceContext } from '../../context';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notifications';
import { badInput } from '../../errors/design-error';
import { findSettings, upsertSettings } from '../../repositories/notification.repository';

export interface NotificationSetting {
  kind: NotificationKind;
  /** Whether this kind is sent by e-mail; on until the user turns it off. */
  email: boolean;
}

/** The caller's setting for every kind, in the kinds' order (EM2). */
export async function notificationSettings(ctx: ServiceContext): Promise<NotificationSetting[]> {
  const viewer = requireViewer(ctx);
  const changed = await findSettings(ctx.manager, viewer.userId);
  return NOTIFICATION_KINDS.map((kind) => ({ kind, email: changed.get(kind) ?? true }));
}

/** Changes the kinds named, each at most once; the others stay as they are. Answers every kind's setting. */
export async function updateNotificationSettings(
  tx: ServiceContext,
  props: { settings: NotificationSetting[] },
): Promise<NotificationSetting[]> {
  const viewer = requireViewer(tx);
  const { settings } = props;
  if (settings.length === 0) throw badInput('input', 'name at least one kind');
  if (new Set(settings.map((s) => s.kind)).size !== settings.length) throw badInput('input', 'each kind at most once');
  await upsertSettings(tx.manager, viewer.userId, settings);
  return notificationSettings(tx);
}
