import type { VersionEntity } from '../../../entities/version.entity';
import type { ServiceContext } from '../../context';
import { badInput, notFound } from '../../errors/design-error';
import type { AutosaveRecord } from '../../storage/snapshot-store';
import { findVersion, pageVersions } from '../../repositories/version.repository';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';
import { diffStates, type DesignDiff } from './design-diff';

/** The read side of versions for a design the caller may already read. */

export async function listVersions(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null },
): Promise<Page<VersionEntity>> {
  const tag = `versions:${props.designId}`;
  const after = decodeCursor(tag, props.after, [cursorPart.int]);
  const page = await pageVersions(ctx.manager, props.designId, pageSize(props.first, 20), after ? after[0] : null);
  return toPage(
    page.rows.map((v) => ({ node: v, position: [v.number] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}

export async function listAutosaves(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null },
): Promise<Page<AutosaveRecord>> {
  const tag = `autosaves:${props.designId}`;
  const after = decodeCursor(tag, props.after, [cursorPart.int]);
  const page = await ctx.store.pageAutosaves(props.designId, pageSize(props.first, 20), after ? after[0] : null, new Date());
  return toPage(
    page.rows.map((a) => ({ node: a, position: [a.number] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}

/** The change between any two versions of a design the caller may read. */
export async function diffVersions(
  ctx: ServiceContext,
  props: { designId: string; fromVersion: number; toVersion: number },
): Promise<DesignDiff> {
  const design = await ctx.loaders.readableDesign.load(props.designId);
  if (!design) throw notFound('Design');
  const [from, to] = [
    await findVersion(ctx.manager, design.id, props.fromVersion),
    await findVersion(ctx.manager, design.id, props.toVersion),
  ];
  if (!from) throw badInput('fromVersion', `the design has no version ${props.fromVersion}`);
  if (!to) throw badInput('toVersion', `the design has no version ${props.toVersion}`);
  const snapshots = new Map((await ctx.store.getSnapshots([from.snapshotId, to.snapshotId])).map((s) => [s.id, s]));
  const [fromState, toState] = [snapshots.get(from.snapshotId)?.state, snapshots.get(to.snapshotId)?.state];
  if (!fromState || !toState) throw notFound('Version snapshot');
  return diffStates(from.number, fromState, to.number, toState);
}
