import { requireViewer, type ServiceContext } from '../../context';
import { nextEntry, PresenceEventType, sameShown, type PresenceEntryJson, type PresencePatch } from '../../domain/presence';
import { Permission } from '../../domain/permissions';
import { badInput, DesignError, ErrorCode } from '../../errors/design-error';
import { countLayersOfDesign } from '../../repositories/layer.repository';
import { findPresence, putPresence } from '../../repositories/presence.repository';
import { requireAccess } from '../access/require-access';
import { assertSessionId, checkPatch } from './presence-input';
import { publishPresence } from './publish-presence';

/** Two updates of one session racing: the later reads again; past this, the client is told to retry. */
const ATTEMPTS = 3;

/**
 * Joins the design with a session, or updates it (a heartbeat when `input` changes nothing) [PR1-PR3].
 * Not a change of the design: Redis only, no transaction, no revision, no change-log entry.
 */
export async function updatePresence(
  ctx: ServiceContext,
  props: { designId: string; sessionId: string; input: PresencePatch },
): Promise<PresenceEntryJson> {
  const viewer = requireViewer(ctx);
  assertSessionId(props.sessionId);
  const selected = checkPatch(props.input);
  const design = await requireAccess(ctx, Permission.Read, props.designId);
  if (selected && (await countLayersOfDesign(ctx.manager, design.id, selected)) !== selected.length) {
    throw badInput('input.selectedLayerIds', 'must be ids of layers of this design');
  }
  const { ttlMs, maxSessionsPerUser, maxSessionsPerDesign } = ctx.config.presence;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const found = await findPresence(ctx.redis, design.id, props.sessionId);
    const previous = found?.entry;
    if (previous && previous.userId !== viewer.userId) {
      throw new DesignError(ErrorCode.Forbidden, 'sessionId: this session belongs to someone else; choose a new one', {
        field: 'sessionId',
      });
    }
    const now = new Date();
    const next = nextEntry(previous ?? null, {
      userId: viewer.userId,
      sessionId: props.sessionId,
      role: design.viewerRole,
      patch: props.input,
      selected,
      now,
    });
    if (!next) throw badInput('input.camera', 'position, target and fov are all needed while the session has no camera');
    const result = await putPresence(ctx.redis, {
      designId: design.id,
      previous: found?.stored ?? null,
      next,
      maxPerUser: maxSessionsPerUser,
      maxPerDesign: maxSessionsPerDesign,
      expiresAt: now.getTime() + ttlMs,
      keyTtlMs: 2 * ttlMs,
    });
    if (result.status === 'changed') continue;
    if (result.status === 'limit') {
      throw new DesignError(
        ErrorCode.LimitExceeded,
        `You may have ${maxSessionsPerUser} sessions in one design at once (PRESENCE_MAX_SESSIONS_PER_USER); leave one first`,
      );
    }
    if (result.status === 'full') {
      throw new DesignError(
        ErrorCode.LimitExceeded,
        `This design has ${maxSessionsPerDesign} sessions present, the most it takes (PRESENCE_MAX_SESSIONS_PER_DESIGN)`,
      );
    }
    if (result.status === 'joined') publishPresence(ctx, design.id, PresenceEventType.JOINED, next, result.present);
    else if (previous && !sameShown(previous, next)) publishPresence(ctx, design.id, PresenceEventType.UPDATED, next, result.present);
    return next;
  }
  throw new DesignError(ErrorCode.Conflict, 'sessionId: the session was updated at the same time from elsewhere; try again', {
    field: 'sessionId',
  });
}
