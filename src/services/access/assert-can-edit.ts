import type { Viewer } from '../../auth/viewer';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { findAccessFacts } from '../../repositories/design.repository';
import { allows, Permission } from './permissions';

/**
 * The signed-in caller, when they may edit the design, for work that does not lock it (renders,
 * exports): NOT_FOUND when they cannot even read it, FORBIDDEN when they can only read.
 */
export async function assertCanEdit(ctx: ServiceContext, designId: string, what: string): Promise<NonNullable<Viewer>> {
  const viewer = requireViewer(ctx);
  const facts = await findAccessFacts(ctx.manager, designId, viewer.userId);
  if (!facts || !allows(viewer, facts, Permission.Read)) throw notFound('Design');
  if (!allows(viewer, facts, Permission.Edit))
    throw new DesignError(ErrorCode.Forbidden, `Your role on this design does not allow ${what}`);
  return viewer;
}
