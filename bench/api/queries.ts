/**
 * The one logical read of issue 12, as our subgraph and as PostGraphile ask it: a design with every layer
 * field, its groups, canvas and collaborators. PostGraphile reads JSON columns (transform, customization,
 * camera, lighting, background) whole, which is the same data as our sub-selections of them.
 */
const vec3 = '{ x y z }';

export const DESIGN_FIELDS = `
  id name revision
  layers {
    id type name order visible locked blendMode opacity notes createdAt updatedAt
    catalogItem { id }
    transform { position ${vec3} rotation ${vec3} scale ${vec3} }
    customization { color material { id } textureScale roughness metalness extra }
    group { id }
  }
  layerGroups { id name visible locked }
  canvas {
    camera { position ${vec3} target ${vec3} fov }
    lighting { preset intensity }
    background { type value }
    showGrid showGuides snapToGrid gridSize renderQuality antialiasing shadows ambientOcclusion
  }
  collaborators { role addedAt user { id } }`;

export const OUR_READ = `query BenchDesign($id: ID!) { design(id: $id) { ${DESIGN_FIELDS} } }`;

/** For statements per request of a list: the same selection on each of the first n designs. */
export const OUR_LIST = `query BenchDesigns($first: Int!) { designs(first: $first) { edges { node { ${DESIGN_FIELDS} } } } }`;

export const POSTGRAPHILE_READ = `query BenchDesign($id: UUID!) {
  designById(id: $id) {
    id name revision
    layersByDesignId(orderBy: POSITION_ASC) {
      nodes {
        id type name position visible locked blendMode opacity notes createdAt updatedAt
        catalogItemId transform customization groupId
      }
    }
    layerGroupsByDesignId { nodes { id name visible locked } }
    canvasSettingByDesignId {
      camera lighting background
      showGrid showGuides snapToGrid gridSize renderQuality antialiasing shadows ambientOcclusion
    }
    collaboratorsByDesignId { nodes { role addedAt userId } }
  }
}`;

export const UPDATE_LAYER = `mutation BenchUpdateLayer($id: ID!, $opacity: Int!) { updateLayer(id: $id, input: { opacity: $opacity }) { id opacity } }`;

export const ADD_LAYER = `mutation BenchAddLayer($designId: ID!) {
  addLayer(designId: $designId, input: { catalogItemId: "item-silhouette-shirt", name: "added", opacity: 80 }) { id }
}`;

export const CREATE_DESIGN = `mutation BenchCreateDesign($name: String!) {
  createDesign(input: { name: $name, avatarId: "avatar-male-standard", tags: ["bench"] }) { id }
}`;

/** What both answers are compared on before measuring. */
export interface DesignSummary {
  layerIds: string[];
  groupIds: string[];
  collaboratorIds: string[];
  catalogItemIds: string[];
  opacities: number[];
  cameraFov: number;
}

interface OurDesign {
  layers: { id: string; opacity: number; catalogItem: { id: string } }[];
  layerGroups: { id: string }[];
  canvas: { camera: { fov: number } };
  collaborators: { user: { id: string } }[];
}

interface PostGraphileDesign {
  layersByDesignId: { nodes: { id: string; opacity: number; catalogItemId: string }[] };
  layerGroupsByDesignId: { nodes: { id: string }[] };
  canvasSettingByDesignId: { camera: { fov: number } };
  collaboratorsByDesignId: { nodes: { userId: string }[] };
}

export function summarizeOurs(body: string): DesignSummary {
  const design = (JSON.parse(body) as { data: { design: OurDesign } }).data.design;
  return {
    layerIds: design.layers.map((l) => l.id),
    groupIds: design.layerGroups.map((g) => g.id).sort(),
    collaboratorIds: design.collaborators.map((c) => c.user.id).sort(),
    catalogItemIds: design.layers.map((l) => l.catalogItem.id),
    opacities: design.layers.map((l) => l.opacity),
    cameraFov: design.canvas.camera.fov,
  };
}

export function summarizePostGraphile(body: string): DesignSummary {
  const design = (JSON.parse(body) as { data: { designById: PostGraphileDesign } }).data.designById;
  return {
    layerIds: design.layersByDesignId.nodes.map((l) => l.id),
    groupIds: design.layerGroupsByDesignId.nodes.map((g) => g.id).sort(),
    collaboratorIds: design.collaboratorsByDesignId.nodes.map((c) => c.userId).sort(),
    catalogItemIds: design.layersByDesignId.nodes.map((l) => l.catalogItemId),
    opacities: design.layersByDesignId.nodes.map((l) => l.opacity),
    cameraFov: design.canvasSettingByDesignId.camera.fov,
  };
}
