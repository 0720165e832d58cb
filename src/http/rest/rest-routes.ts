/**
 * The REST API (issue 15): each route is one GraphQL operation of the subgraph's own schema, run through
 * the same Apollo Server as /graphql (context, access checks, operation limits, rate limits, metrics),
 * so no rule lives here. A route says where each variable comes from; the OpenAPI document is built
 * from these operations (openapi-document.ts).
 */

const LAYER = `
  fragment LayerFields on Layer {
    id type name order visible locked blendMode opacity notes createdAt updatedAt
    catalogItem { id }
    group { id }
    transform { position { x y z } rotation { x y z } scale { x y z } }
    customization { color material { id } textureScale roughness metalness extra }
  }`;

const DESIGN = `
  fragment DesignFields on Design {
    id name description category tags occasions seasons status visibility revision version
    forkCount viewCount likeCount viewerRole viewerHasLiked canUndo canRedo
    createdAt updatedAt lastEditedAt publishedAt
    owner { id }
    avatar { id }
    forkedFrom { id }
    layers { ...LayerFields }
    layerGroups { id name visible locked layers { id } }
    canvas {
      camera { position { x y z } target { x y z } fov }
      lighting { preset intensity }
      background { type value }
      showGrid showGuides snapToGrid gridSize renderQuality antialiasing shadows ambientOcclusion
    }
    collaborators { user { id } role addedAt }
  }
  ${LAYER}`;

const DESIGN_SUMMARY = `
  fragment DesignSummary on Design {
    id name description category tags status visibility revision version forkCount viewCount likeCount
    viewerRole createdAt updatedAt lastEditedAt publishedAt
    owner { id }
    avatar { id }
  }`;

const EXPORT = `
  fragment ExportFields on Export {
    id type format status progress fileUrl fileName fileSize error retryCount createdAt startedAt completedAt expiresAt
    design { id }
  }`;

const VERSION = `
  fragment VersionFields on Version { id number kind message createdAt createdBy { id } }`;

/** The REST API's own version (OpenAPI `info.version`): its routes and bodies, not the service's release. */
export const REST_API_VERSION = '1.0.0';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RestRoute {
  method: HttpMethod;
  /** Express's form, `:name` for a path parameter named as the operation's variable. */
  path: string;
  summary: string;
  tag: string;
  /** One named operation; its name is the OpenAPI operationId. */
  operation: string;
  /** The variable the whole JSON body is; without it, the body's properties are variables of their names. */
  bodyVariable?: string;
  /** The path to the answer inside `data`. */
  result: string[];
  /** A null answer is NOT_FOUND (a design or export the caller may not read reads as null). */
  nullIsNotFound?: boolean;
  status: 200 | 201 | 202 | 204;
}

/** `If-Match: "<revision>"` is the REST form of `expectedRevision`, on every route whose operation takes one. */
export const IF_MATCH_VARIABLE = 'expectedRevision';

export const REST_ROUTES: RestRoute[] = [
  {
    method: 'get',
    path: '/designs',
    tag: 'Designs',
    summary: 'Designs the caller may read, by the `designs` filters; cursor pagination (`first`, `after` = the last `endCursor`).',
    operation: `
      query listDesigns($scope: DesignScope, $status: [DesignStatus!], $category: [DesignCategory!], $tags: [String!],
                        $avatarId: ID, $search: String, $orderBy: DesignOrder, $first: Int, $after: String) {
        designs(filter: { scope: $scope, status: $status, category: $category, tags: $tags, avatarId: $avatarId, search: $search },
                orderBy: $orderBy, first: $first, after: $after) {
          edges { cursor node { ...DesignSummary } }
          pageInfo { hasNextPage endCursor }
          totalCount
        }
      }
      ${DESIGN_SUMMARY}`,
    result: ['designs'],
    status: 200,
  },
  {
    method: 'post',
    path: '/designs',
    tag: 'Designs',
    summary: 'Creates a design (a retry with the same `id` and input answers the same design).',
    operation: `mutation createDesign($input: CreateDesignInput!) { createDesign(input: $input) { ...DesignFields } } ${DESIGN}`,
    bodyVariable: 'input',
    result: ['createDesign'],
    status: 201,
  },
  {
    method: 'get',
    path: '/designs/:id',
    tag: 'Designs',
    summary: 'A design with its layers, groups, canvas and collaborators. The ETag is its revision.',
    operation: `query getDesign($id: ID!) { design(id: $id) { ...DesignFields } } ${DESIGN}`,
    result: ['design'],
    nullIsNotFound: true,
    status: 200,
  },
  {
    method: 'patch',
    path: '/designs/:id',
    tag: 'Designs',
    summary: "Changes the design's fields named in the body.",
    operation: `
      mutation updateDesign($id: ID!, $input: UpdateDesignInput!, $expectedRevision: Int) {
        updateDesign(id: $id, input: $input, expectedRevision: $expectedRevision) { ...DesignFields }
      } ${DESIGN}`,
    bodyVariable: 'input',
    result: ['updateDesign'],
    status: 200,
  },
  {
    method: 'delete',
    path: '/designs/:id',
    tag: 'Designs',
    summary: 'Deletes the design (owner only; soft delete).',
    operation: `mutation deleteDesign($id: ID!) { deleteDesign(id: $id) }`,
    result: ['deleteDesign'],
    status: 204,
  },
  {
    method: 'post',
    path: '/designs/:id/fork',
    tag: 'Designs',
    summary: 'Copies the design into a new one owned by the caller.',
    operation: `mutation forkDesign($id: ID!, $name: String) { forkDesign(id: $id, name: $name) { ...DesignFields } } ${DESIGN}`,
    result: ['forkDesign'],
    status: 201,
  },
  {
    method: 'post',
    path: '/designs/:designId/layers',
    tag: 'Layers',
    summary: 'Adds a layer of a catalog item (on top, or at `order`).',
    operation: `
      mutation addLayer($designId: ID!, $input: AddLayerInput!, $expectedRevision: Int) {
        addLayer(designId: $designId, input: $input, expectedRevision: $expectedRevision) { ...LayerFields }
      } ${LAYER}`,
    bodyVariable: 'input',
    result: ['addLayer'],
    status: 201,
  },
  {
    method: 'patch',
    path: '/layers/:id',
    tag: 'Layers',
    summary: "Changes the layer's properties named in the body (transform and customization merge one level down).",
    operation: `
      mutation updateLayer($id: ID!, $input: UpdateLayerInput!, $expectedRevision: Int) {
        updateLayer(id: $id, input: $input, expectedRevision: $expectedRevision) { ...LayerFields }
      } ${LAYER}`,
    bodyVariable: 'input',
    result: ['updateLayer'],
    status: 200,
  },
  {
    method: 'delete',
    path: '/layers/:id',
    tag: 'Layers',
    summary: 'Removes the layer; answers the design as it is afterwards.',
    operation: `
      mutation removeLayer($id: ID!, $expectedRevision: Int) {
        removeLayer(id: $id, expectedRevision: $expectedRevision) { ...DesignFields }
      } ${DESIGN}`,
    result: ['removeLayer'],
    status: 200,
  },
  {
    method: 'put',
    path: '/designs/:designId/layer-order',
    tag: 'Layers',
    summary: 'Sets the order of all layers, bottom to top (`layerIds`: every layer of the design once).',
    operation: `
      mutation reorderLayers($designId: ID!, $layerIds: [ID!]!, $expectedRevision: Int) {
        reorderLayers(designId: $designId, layerIds: $layerIds, expectedRevision: $expectedRevision) { ...DesignFields }
      } ${DESIGN}`,
    result: ['reorderLayers'],
    status: 200,
  },
  {
    method: 'get',
    path: '/designs/:id/versions',
    tag: 'Versions',
    summary: "The design's versions, newest first; cursor pagination.",
    operation: `
      query listVersions($id: ID!, $first: Int, $after: String) {
        design(id: $id) {
          versions(first: $first, after: $after) {
            edges { cursor node { ...VersionFields } }
            pageInfo { hasNextPage endCursor }
            totalCount
          }
        }
      } ${VERSION}`,
    result: ['design', 'versions'],
    nullIsNotFound: true,
    status: 200,
  },
  {
    method: 'post',
    path: '/designs/:designId/checkpoints',
    tag: 'Versions',
    summary: 'Saves the current state as a CHECKPOINT version.',
    operation: `mutation createCheckpoint($designId: ID!, $message: String) { createCheckpoint(designId: $designId, message: $message) { ...VersionFields } } ${VERSION}`,
    result: ['createCheckpoint'],
    status: 201,
  },
  {
    method: 'post',
    path: '/designs/:designId/renders',
    tag: 'Renders',
    summary: 'Asks for an image of the design: a COMPLETED cache hit at once, or a QUEUED render a worker completes.',
    operation: `
      mutation requestRender($designId: ID!, $settings: RenderSettingsInput) {
        requestRender(designId: $designId, settings: $settings) {
          id status renderHash cacheHit imageUrl width height format durationMs error createdAt
        }
      }`,
    bodyVariable: 'settings',
    result: ['requestRender'],
    status: 202,
  },
  {
    method: 'post',
    path: '/designs/:designId/exports',
    tag: 'Exports',
    summary: 'Starts an export (image, turntable video, 3D model, tech pack); poll GET /exports/{id}.',
    operation: `mutation exportDesign($designId: ID!, $input: ExportInput!) { exportDesign(designId: $designId, input: $input) { ...ExportFields } } ${EXPORT}`,
    bodyVariable: 'input',
    result: ['exportDesign'],
    status: 202,
  },
  {
    method: 'get',
    path: '/exports/:id',
    tag: 'Exports',
    summary: 'An export; `fileUrl` is a signed link once it is COMPLETED.',
    operation: `query getExport($id: ID!) { export(id: $id) { ...ExportFields } } ${EXPORT}`,
    result: ['export'],
    nullIsNotFound: true,
    status: 200,
  },
];
