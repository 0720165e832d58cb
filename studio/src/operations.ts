/** The GraphQL the studio sends to the gateway; the fragments are what a scene and the panels need. */

const VEC3 = 'x y z';
export const LAYER_FIELDS = `
  id type name order visible locked blendMode opacity notes
  group { id }
  catalogItem { id name type modelUrl textureUrl defaultColor }
  transform { position { ${VEC3} } rotation { ${VEC3} } scale { ${VEC3} } }
  customization { color textureScale roughness metalness extra material { id name type modelUrl textureUrl defaultColor } }`;

export const CANVAS_FIELDS = `
  camera { position { ${VEC3} } target { ${VEC3} } fov }
  lighting { preset intensity }
  background { type value }
  showGrid showGuides snapToGrid gridSize renderQuality antialiasing shadows ambientOcclusion`;

export const DESIGN_FIELDS = `
  id name description category tags occasions seasons status visibility revision version
  viewerRole canUndo canRedo
  owner { id }
  avatar { id name bodyType height modelUrl }
  layers { ${LAYER_FIELDS} }
  layerGroups { id name visible locked layers { id } }
  canvas { ${CANVAS_FIELDS} }
  collaborators { user { id } role }`;

export const DESIGN = `query Design($id: ID!) { design(id: $id) { ${DESIGN_FIELDS} } }`;

export const DESIGNS = `query Designs($scope: DesignScope!) {
  designs(filter: { scope: $scope }, first: 50) {
    edges { node { id name revision status visibility lastEditedAt owner { id } avatar { id name } layers { id } } }
  }
}`;

export const AVATARS = `query Avatars { avatars { id name bodyType height } }`;
export const CATALOG = `query Catalog { catalogItems { id name type available modelUrl textureUrl defaultColor compatibleBodyTypes } }`;

export const CREATE_DESIGN = `mutation CreateDesign($input: CreateDesignInput!) { createDesign(input: $input) { id } }`;

/** Layer results carry the design's revision: the next change sends it as expectedRevision. */
const LAYER_RESULT = `${LAYER_FIELDS} design { revision canUndo canRedo }`;
export const ADD_LAYER = `mutation AddLayer($designId: ID!, $input: AddLayerInput!, $rev: Int) {
  addLayer(designId: $designId, input: $input, expectedRevision: $rev) { ${LAYER_RESULT} } }`;
export const UPDATE_LAYER = `mutation UpdateLayer($id: ID!, $input: UpdateLayerInput!, $rev: Int) {
  updateLayer(id: $id, input: $input, expectedRevision: $rev) { ${LAYER_RESULT} } }`;
export const REMOVE_LAYER = `mutation RemoveLayer($id: ID!, $rev: Int) { removeLayer(id: $id, expectedRevision: $rev) { ${DESIGN_FIELDS} } }`;
export const REORDER_LAYERS = `mutation ReorderLayers($designId: ID!, $layerIds: [ID!]!, $rev: Int) {
  reorderLayers(designId: $designId, layerIds: $layerIds, expectedRevision: $rev) { ${DESIGN_FIELDS} } }`;
export const GROUP_LAYERS = `mutation GroupLayers($designId: ID!, $layerIds: [ID!]!, $name: String, $rev: Int) {
  groupLayers(designId: $designId, layerIds: $layerIds, name: $name, expectedRevision: $rev) { id } }`;
export const UNGROUP_LAYERS = `mutation UngroupLayers($groupId: ID!, $rev: Int) {
  ungroupLayers(groupId: $groupId, expectedRevision: $rev) { ${DESIGN_FIELDS} } }`;
export const UPDATE_CANVAS = `mutation UpdateCanvas($designId: ID!, $input: CanvasSettingsInput!, $rev: Int) {
  updateCanvasSettings(designId: $designId, input: $input, expectedRevision: $rev) { ${CANVAS_FIELDS} } }`;
export const ADD_COLLABORATOR = `mutation AddCollaborator($designId: ID!, $userId: ID!, $role: CollaboratorRole!) {
  addCollaborator(designId: $designId, userId: $userId, role: $role) { role } }`;
export const JOIN_DESIGN = `mutation JoinDesign($token: String!) { joinDesign(token: $token) { id } }`;
export const UNDO = `mutation Undo($designId: ID!) { undo(designId: $designId) { ${DESIGN_FIELDS} } }`;
export const REDO = `mutation Redo($designId: ID!) { redo(designId: $designId) { ${DESIGN_FIELDS} } }`;

export const VERSIONS = `query Versions($id: ID!) {
  design(id: $id) { id versions(first: 30) { edges { node { number kind message createdAt createdBy { id } } } } }
}`;
export const CHECKPOINT = `mutation Checkpoint($designId: ID!, $message: String) { createCheckpoint(designId: $designId, message: $message) { number } }`;
export const DIFF = `query Diff($designId: ID!, $from: Int!, $to: Int!) {
  designDiff(designId: $designId, fromVersion: $from, toVersion: $to) {
    fromVersion toVersion layersAdded layersRemoved layersChanged { layerId fields } layersReordered canvasChanged designChanged
  }
}`;
export const RESTORE = `mutation Restore($designId: ID!, $version: Int!, $rev: Int) {
  restoreVersion(designId: $designId, version: $version, expectedRevision: $rev) { ${DESIGN_FIELDS} } }`;
export const FORK = `mutation Fork($id: ID!, $name: String) { forkDesign(id: $id, name: $name) { id } }`;

const EXPORT_FIELDS = 'id type format status progress fileUrl fileName fileSize error createdAt';
const RENDER_FIELDS = 'id status imageUrl width height error cacheHit';
export const EXPORTS = `query Exports($id: ID!) { design(id: $id) { id exports(first: 10) { edges { node { ${EXPORT_FIELDS} } } } } }`;
export const EXPORT_DESIGN = `mutation ExportDesign($designId: ID!, $input: ExportInput!) { exportDesign(designId: $designId, input: $input) { ${EXPORT_FIELDS} } }`;
export const REQUEST_RENDER = `mutation RequestRender($designId: ID!, $settings: RenderSettingsInput) {
  requestRender(designId: $designId, settings: $settings) { ${RENDER_FIELDS} } }`;

export const DESIGN_CHANGED = `subscription DesignChanged($designId: ID!, $afterRevision: Int) {
  designChanged(designId: $designId, afterRevision: $afterRevision) {
    type revision actor { id }
    layer { ${LAYER_FIELDS} }
    layerId layerIds
    canvas { ${CANVAS_FIELDS} }
    render { ${RENDER_FIELDS} }
    export { ${EXPORT_FIELDS} }
  }
}`;
