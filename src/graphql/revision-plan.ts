import {
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * The fields whose values are fixed by a design's revision and by who asks. Every committed change to
 * a design, its layers, groups, canvas or collaborators takes a revision (and the caller's undo stacks
 * move in the same transaction), so an answer made only of these fields is still right while the
 * design's revision is. A field missing here (counts, versions, exports, renders, anything signed or
 * timed, other subgraphs' fields) makes the answer uncacheable: a new field is safe until listed.
 */
export const REVISION_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Design: new Set([
    'id',
    'name',
    'description',
    'owner',
    'avatar',
    'category',
    'tags',
    'occasions',
    'seasons',
    'status',
    'visibility',
    'revision',
    'version',
    'layers',
    'layerGroups',
    'canvas',
    'collaborators',
    'viewerRole',
    'canUndo',
    'canRedo',
    'createdAt',
    'updatedAt',
    'lastEditedAt',
    'publishedAt',
  ]),
  Layer: new Set([
    'id',
    'design',
    'type',
    'name',
    'order',
    'catalogItem',
    'transform',
    'customization',
    'visible',
    'locked',
    'blendMode',
    'opacity',
    'notes',
    'group',
    'createdAt',
    'updatedAt',
  ]),
  LayerGroup: new Set(['id', 'name', 'layers', 'visible', 'locked']),
  Transform: new Set(['position', 'rotation', 'scale']),
  Vec3: new Set(['x', 'y', 'z']),
  LayerCustomization: new Set(['color', 'material', 'textureScale', 'roughness', 'metalness', 'extra']),
  CanvasSettings: new Set([
    'camera',
    'lighting',
    'background',
    'showGrid',
    'showGuides',
    'snapToGrid',
    'gridSize',
    'renderQuality',
    'antialiasing',
    'shadows',
    'ambientOcclusion',
  ]),
  Camera: new Set(['position', 'target', 'fov']),
  Lighting: new Set(['preset', 'intensity']),
  Background: new Set(['type', 'value']),
  Collaborator: new Set(['user', 'role', 'addedAt']),
  // Other subgraphs' entities: only the reference, which the design's own row holds.
  User: new Set(['id']),
  Avatar: new Set(['id']),
  CatalogItem: new Set(['id']),
};

/** Where a `design(id:)` root field takes its id from. */
type IdSource = { variable: string } | { value: string } | { invalid: true };

/** A query whose answer the revisions of these designs (and the caller) determine. */
export interface RevisionPlan {
  /** The designs' ids for these variables; null when one is not a string (the normal path answers that). */
  designIds(variables: Readonly<Record<string, unknown>>): string[] | null;
}

function idSource(value: ValueNode | undefined): IdSource {
  if (value?.kind === Kind.VARIABLE) return { variable: value.name.value };
  if (value?.kind === Kind.STRING) return { value: value.value };
  return { invalid: true };
}

function planOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): RevisionPlan | null {
  const queryType = schema.getQueryType();
  if (operation.operation !== 'query' || !queryType) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const sources: IdSource[] = [];
  const visiting = new Set<string>();

  const allowed = (type: GraphQLObjectType, set: SelectionSetNode): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value;
        return (on === undefined || on === type.name) && allowed(type, selection.selectionSet);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== type.name || visiting.has(fragment.name.value)) return false;
        visiting.add(fragment.name.value);
        const ok = allowed(type, fragment.selectionSet);
        visiting.delete(fragment.name.value);
        return ok;
      }
      const name = selection.name.value;
      if (name === '__typename') return true;
      if (type === queryType) {
        if (name !== 'design') return false;
        sources.push(idSource(selection.arguments?.find((a) => a.name.value === 'id')?.value));
      } else if (!REVISION_FIELDS[type.name]?.has(name)) {
        return false;
      }
      const field = type.getFields()[name];
      if (!field) return false;
      const named = getNamedType(field.type);
      if (isLeafType(named)) return !selection.selectionSet;
      return isObjectType(named) && !!selection.selectionSet && allowed(named, selection.selectionSet);
    });

  if (!allowed(queryType, operation.selectionSet) || sources.length === 0) return null;
  return {
    designIds(variables) {
      const ids = new Set<string>();
      for (const source of sources) {
        const id = 'variable' in source ? variables[source.variable] : 'value' in source ? source.value : undefined;
        if (typeof id !== 'string') return null;
        ids.add(id);
      }
      return [...ids];
    },
  };
}

const plans = new WeakMap<DocumentNode, Map<string, RevisionPlan | null>>();

/** The plan for an operation of a parsed (and cached) document, worked out once per document and operation. */
export function revisionPlan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): RevisionPlan | null {
  let byOperation = plans.get(document);
  if (!byOperation) plans.set(document, (byOperation = new Map()));
  const name = operation.name?.value ?? '';
  if (!byOperation.has(name)) byOperation.set(name, planOf(schema, document, operation));
  return byOperation.get(name)!;
}
