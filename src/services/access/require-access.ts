import { requireViewer, type ServiceContext } from '../../context';
import { allows, Permission } from '../../domain/permissions';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { findDesignsWithRole, findReadableRevisions, type DesignWithRole } from '../../repositories/design.repository';

export interface AccessOptions {
  /** Lock the allowed designs' rows for the rest of the transaction: `write` to change them, `share` to copy them. */
  lock?: 'write' | 'share';
}

/**
 * The one access check (contract README, "Who may do what"), with `allows` and `permitted` of
 * domain/permissions and the lists' `readableSql`: one design the caller may `permission`, read with
 * the caller's role (and locked) in one statement. Anything but reading needs a signed-in caller
 * (UNAUTHENTICATED); a design they may not read is NOT_FOUND, so its existence does not leak; one they
 * may read but not `permission` is FORBIDDEN, saying what was refused (`what`, e.g. "exports").
 */
export async function requireAccess(
  ctx: ServiceContext,
  permission: Permission,
  designId: string,
  options: AccessOptions & { what?: string } = {},
): Promise<DesignWithRole> {
  if (permission !== Permission.Read) requireViewer(ctx);
  const [design] = await findDesignsWithRole(ctx.manager, [designId], ctx.viewer?.userId ?? null, options.lock);
  return judgeAccess(ctx, permission, design, options.what);
}

/** `requireAccess` for a design already read with the caller's role (absent or deleted: NOT_FOUND). */
export function judgeAccess(
  ctx: ServiceContext,
  permission: Permission,
  design: DesignWithRole | undefined,
  what?: string,
): DesignWithRole {
  if (permission !== Permission.Read) requireViewer(ctx);
  const facts = design && !design.deletedAt && { ...design, role: design.viewerRole };
  if (!facts || !allows(ctx.viewer, facts, Permission.Read)) throw notFound('Design');
  if (!allows(ctx.viewer, facts, permission)) {
    throw new DesignError(ErrorCode.Forbidden, `Your role on this design does not allow ${what ?? `this (${permission})`}`);
  }
  return design;
}

/**
 * The current revision of each design the caller may read, in one light statement (no entity); the
 * others are absent. What a live subscription checks at its start and on every event that can change
 * access, and what a kept answer is checked against before it is served again (src/http/answer-cache.ts).
 */
export function readableRevisions(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, number>> {
  return findReadableRevisions(ctx.manager, ids, ctx.viewer?.userId ?? null);
}

/** The design's revision when the caller may read it, else null. */
export async function readableRevision(ctx: ServiceContext, designId: string): Promise<number | null> {
  return (await readableRevisions(ctx, [designId])).get(designId) ?? null;
}
