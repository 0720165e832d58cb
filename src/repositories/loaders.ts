import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';
import type { CollaboratorEntity } from '../../entities/collaborator.entity';
import type { CommentEntity } from '../../entities/comment.entity';
import type { ExportEntity } from '../../entities/export.entity';
import type { RenderEntity } from '../../entities/render.entity';
import type { ShareLinkEntity } from '../../entities/share-link.entity';
import { CollaboratorRole } from '../../entities/enums';
import type { LayerGroupEntity } from '../../entities/layer-group.entity';
import type { LayerEntity } from '../../entities/layer.entity';
import type { VersionEntity } from '../../entities/version.entity';
import type { Viewer } from '../auth/viewer';
import { permitted, Permission } from '../domain/permissions';
import { stackDepths } from './undo.repository';
import type { SnapshotRecord, SnapshotStore } from '../storage/snapshot-store';
import { findCanvasByDesignIds } from './canvas.repository';
import { findCollaboratorsByDesignIds } from './collaborator.repository';
import { findCommentsByIds, findRepliesByParentIds } from './comment.repository';
import { findDesignsWithRole, type DesignWithRole } from './design.repository';
import { findDesignTrees } from './design-tree.repository';
import { findExportsByIds } from './export.repository';
import { findLikedDesignIds } from './design-reaction.repository';
import { findActiveShareLinks } from './share-link.repository';
import { findPreviews, findRendersByIds } from './render.repository';
import { findGroupsByDesignIds, findGroupsByIds } from './layer-group.repository';
import { findLayersByDesignIds, findLayersByIds } from './layer.repository';
import { findVersionsByIds } from './version.repository';

function byKey<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function groupedBy<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key)!);
}

/**
 * Per-request batching. `readableDesign` is the access gate for reads: it yields a design only when
 * the viewer may read it, so every field that reaches a design through it is covered.
 */
export function createLoaders(m: EntityManager, viewer: Viewer, store: SnapshotStore) {
  const readableDesign = new DataLoader<string, DesignWithRole | null>(async (ids) => {
    const designs = await findDesignsWithRole(m, ids, viewer?.userId ?? null);
    const readable = permitted(viewer, designs, Permission.Read);
    return byKey(ids, readable, (d) => d.id);
  });
  const loaders = {
    readableDesign,
    /**
     * A design the viewer may read with its layers, groups, canvas and collaborators, read in one
     * statement and handed to the loaders of each, so that a studio's read of a whole design is one
     * round trip to PostgreSQL whatever its layer count.
     */
    readableDesignTree: new DataLoader<string, DesignWithRole | null>(async (ids) => {
      const trees = await findDesignTrees(m, ids, viewer?.userId ?? null);
      const readable = new Set(
        permitted(
          viewer,
          trees.map((t) => t.design),
          Permission.Read,
        ),
      );
      for (const tree of trees) {
        if (!readable.has(tree.design)) continue;
        const id = tree.design.id;
        readableDesign.prime(id, tree.design);
        loaders.layersByDesign.prime(id, tree.layers);
        loaders.groupsByDesign.prime(id, tree.groups);
        for (const group of tree.groups) loaders.group.prime(group.id, group);
        for (const layer of tree.layers) loaders.layer.prime(layer.id, layer);
        loaders.canvas.prime(id, tree.canvas);
        loaders.collaborators.prime(id, tree.collaborators);
      }
      return byKey(ids, [...readable], (d) => d.id);
    }),
    layersByDesign: new DataLoader<string, LayerEntity[]>(async (ids) =>
      groupedBy(ids, await findLayersByDesignIds(m, ids), (l) => l.designId),
    ),
    layer: new DataLoader<string, LayerEntity | null>(async (ids) => byKey(ids, await findLayersByIds(m, ids), (l) => l.id)),
    groupsByDesign: new DataLoader<string, LayerGroupEntity[]>(async (ids) =>
      groupedBy(ids, await findGroupsByDesignIds(m, ids), (g) => g.designId),
    ),
    group: new DataLoader<string, LayerGroupEntity | null>(async (ids) => byKey(ids, await findGroupsByIds(m, ids), (g) => g.id)),
    canvas: new DataLoader<string, CanvasSettingsEntity | null>(async (ids) =>
      byKey(ids, await findCanvasByDesignIds(m, ids), (c) => c.designId),
    ),
    collaborators: new DataLoader<string, CollaboratorEntity[]>(async (ids) =>
      groupedBy(ids, await findCollaboratorsByDesignIds(m, ids), (c) => c.designId),
    ),
    /** An export, when the viewer may read its design. */
    readableExport: new DataLoader<string, ExportEntity | null>(async (ids) => {
      const exports = await findExportsByIds(m, ids);
      const designs = await readableDesign.loadMany([...new Set(exports.map((e) => e.designId))]);
      const readable = new Set(designs.filter((d): d is DesignWithRole => !!d && !(d instanceof Error)).map((d) => d.id));
      return byKey(
        ids,
        exports.filter((e) => readable.has(e.designId)),
        (e) => e.id,
      );
    }),
    /** A render, when the viewer may read its design. */
    readableRender: new DataLoader<string, RenderEntity | null>(async (ids) => {
      const renders = await findRendersByIds(m, ids);
      const designs = await readableDesign.loadMany([...new Set(renders.map((r) => r.designId))]);
      const readable = new Set(designs.filter((d): d is DesignWithRole => !!d && !(d instanceof Error)).map((d) => d.id));
      return byKey(
        ids,
        renders.filter((r) => readable.has(r.designId)),
        (r) => r.id,
      );
    }),
    /** A comment, when the viewer may read its design. */
    readableComment: new DataLoader<string, CommentEntity | null>(async (ids) => {
      const comments = await findCommentsByIds(m, ids);
      const designs = await readableDesign.loadMany([...new Set(comments.map((c) => c.designId))]);
      const readable = new Set(designs.filter((d): d is DesignWithRole => !!d && !(d instanceof Error)).map((d) => d.id));
      return byKey(
        ids,
        comments.filter((c) => readable.has(c.designId)),
        (c) => c.id,
      );
    }),
    /** The replies of threads the viewer already reached through their design, oldest first. */
    replies: new DataLoader<string, CommentEntity[]>(async (parentIds) =>
      groupedBy(parentIds, await findRepliesByParentIds(m, parentIds), (c) => c.parentId!),
    ),
    version: new DataLoader<string, VersionEntity | null>(async (ids) => byKey(ids, await findVersionsByIds(m, ids), (v) => v.id)),
    preview: new DataLoader<string, RenderEntity | null>(async (designIds) =>
      byKey(designIds, await findPreviews(m, designIds), (r) => r.designId),
    ),
    snapshot: new DataLoader<string, SnapshotRecord | null>(async (ids) => byKey(ids, await store.getSnapshots(ids), (s) => s.id)),
    /** The viewer's undo and redo stack depths per design. */
    undoDepth: new DataLoader<string, { undo: number; redo: number }>(async (ids) => {
      const depths = viewer ? await stackDepths(m, ids, viewer.userId) : new Map();
      return ids.map((id) => depths.get(id) ?? { undo: 0, redo: 0 });
    }),
    /** Share links of the designs the viewer owns; none for any other design. */
    ownedShareLinks: new DataLoader<string, ShareLinkEntity[]>(async (ids) => {
      const designs = await readableDesign.loadMany(ids);
      const owned = designs.filter((d): d is DesignWithRole => !!d && !(d instanceof Error) && d.viewerRole === CollaboratorRole.OWNER);
      return groupedBy(
        ids,
        await findActiveShareLinks(
          m,
          owned.map((d) => d.id),
        ),
        (link) => link.designId,
      );
    }),
    likedByViewer: new DataLoader<string, boolean>(async (ids) => {
      const liked = viewer ? await findLikedDesignIds(m, viewer.userId, ids) : new Set<string>();
      return ids.map((id) => liked.has(id));
    }),
    clearAll() {
      for (const loader of Object.values(loaders)) if (loader instanceof DataLoader) loader.clearAll();
    },
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
