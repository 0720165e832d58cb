import { requireViewer, type ServiceContext } from '../../context';
import { PresenceEventType } from '../../domain/presence';
import { Permission } from '../../domain/permissions';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { removePresence } from '../../repositories/presence.repository';
import { isUuid } from '../../repositories/uuid';
import { requireAccess } from '../access/require-access';
import { assertSessionId } from './presence-input';
import { publishPresence } from './publish-presence';

/**
 * Takes the caller's session out of the design at once (LEFT) [PR2]; false when there was none.
 * Leaving needs no access to the design (someone who just lost it leaves too); only a session of
 * someone else's is refused, and then only once the caller is known to be able to read the design,
 * so that the answer tells nothing about designs they may not see.
 */
export async function leaveDesign(ctx: ServiceContext, props: { designId: string; sessionId: string }): Promise<boolean> {
  const viewer = requireViewer(ctx);
  assertSessionId(props.sessionId);
  if (!isUuid(props.designId)) return false;
  const result = await removePresence(ctx.redis, props.designId, props.sessionId, viewer.userId);
  if (result.status === 'none') return false;
  if (result.status === 'taken') {
    await requireAccess(ctx, Permission.Read, props.designId);
    throw new DesignError(ErrorCode.Forbidden, 'sessionId: this session belongs to someone else', { field: 'sessionId' });
  }
  publishPresence(ctx, props.designId, PresenceEventType.LEFT, result.entry, result.present);
  return true;
}
