import { call, makeUser, type BenchUser } from './client';

/**
 * The data of issue 12: a reader who owns a design of 30 layers (groups, canvas, collaborators: about
 * 18 KB of JSON), one of 200 layers and 18 small ones (for designs(first: 20)); 16 editors each on a
 * design of their own; one design with 16 EDITOR collaborators, a layer each; designs for addLayer.
 * Everything through the API, as a client would make it. Enterprise owners: room for 200 and 500 layers
 * and unlimited designs.
 */
export interface Seed {
  reader: BenchUser;
  design30: string;
  design200: string;
  /** updateLayer over 16 designs: each editor owns one. */
  editors: { user: BenchUser; designId: string; layerId: string }[];
  /** updateLayer on one design: 16 collaborators with the EDITOR role, each on a layer of its own. */
  shared: { designId: string; editors: { user: BenchUser; layerId: string }[] };
  /** addLayer: designs for each of the 16 editors, taken one after the other as they fill up. */
  addTargets: string[][];
}

const ITEMS = [
  'item-silhouette-t-shirt',
  'item-silhouette-shirt',
  'item-silhouette-hoodie',
  'item-silhouette-trousers',
  'item-silhouette-shorts',
  'item-silhouette-trench-coat',
  'item-element-patch-pocket',
  'item-element-belt',
  'item-element-zip',
  'item-element-hood-drawcord',
  'item-accessory-cap',
  'item-accessory-sneakers',
  'item-accessory-tote',
  'item-accessory-sunglasses',
  'item-pattern-breton-stripe',
  'item-pattern-gingham',
];
const MATERIALS = [
  'item-fabric-cotton-jersey',
  'item-fabric-denim',
  'item-fabric-linen',
  'item-fabric-wool-twill',
  'item-fabric-silk-satin',
];
const BLEND_MODES = ['NORMAL', 'MULTIPLY', 'SCREEN', 'OVERLAY', 'ADD'];

const CREATE_DESIGN = `mutation($name: String!) { createDesign(input: { name: $name, avatarId: "avatar-male-standard", category: OUTFIT, tags: ["bench", "issue-12"] }) { id } }`;
const ADD_LAYER = `mutation($designId: ID!, $input: AddLayerInput!) { addLayer(designId: $designId, input: $input) { id } }`;

/** A layer as an editor leaves it after a while: about 600 bytes of JSON when read. */
function layerInput(i: number) {
  const f = (n: number) => Math.round(n * 1000) / 1000;
  return {
    catalogItemId: ITEMS[i % ITEMS.length],
    name: `Layer ${i + 1}`,
    transform: {
      position: { x: f(Math.sin(i) * 0.2), y: f(1 + Math.cos(i) * 0.1), z: f(i * 0.001) },
      rotation: { x: 0, y: f(i * 0.05), z: 0 },
      scale: { x: 1, y: f(1 + i * 0.01), z: 1 },
    },
    customization: {
      color: `#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(0, 6)}`,
      materialItemId: MATERIALS[i % MATERIALS.length],
      textureScale: f(1 + (i % 4) * 0.25),
      roughness: f(0.3 + (i % 5) * 0.1),
      metalness: f((i % 3) * 0.05),
      extra: i % 2 ? null : { stitch: 'double', seamMm: 10 + (i % 5) },
    },
    blendMode: BLEND_MODES[i % BLEND_MODES.length],
    opacity: 60 + (i % 41),
    notes: i % 3 ? null : `Fit note ${i + 1}: ease the shoulder seam by 4 mm, keep the hem straight.`,
  };
}

async function createDesign(url: string, owner: BenchUser, name: string): Promise<string> {
  const { data } = await call<{ createDesign: { id: string } }>(url, owner, CREATE_DESIGN, { name });
  return data.createDesign.id;
}

/** Layers are added one after the other (each locks the design); designs side by side. */
async function addLayers(url: string, owner: BenchUser, designId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { data } = await call<{ addLayer: { id: string } }>(url, owner, ADD_LAYER, { designId, input: layerInput(i) });
    ids.push(data.addLayer.id);
  }
  return ids;
}

async function addCollaborator(url: string, owner: BenchUser, designId: string, userId: string, role: string): Promise<void> {
  await call(
    url,
    owner,
    `mutation($d: ID!, $u: ID!, $r: CollaboratorRole!) { addCollaborator(designId: $d, userId: $u, role: $r) { role } }`,
    {
      d: designId,
      u: userId,
      r: role,
    },
  );
}

/** Groups, canvas and collaborators: the rest of a design someone works on. */
async function dressUp(url: string, owner: BenchUser, designId: string, layerIds: string[]): Promise<void> {
  for (let g = 0; g < 3; g++) {
    await call(url, owner, `mutation($d: ID!, $l: [ID!]!, $n: String) { groupLayers(designId: $d, layerIds: $l, name: $n) { id } }`, {
      d: designId,
      l: layerIds.slice(g * 5, g * 5 + 5),
      n: `Group ${g + 1}`,
    });
  }
  await call(url, owner, `mutation($d: ID!, $i: CanvasSettingsInput!) { updateCanvasSettings(designId: $d, input: $i) { gridSize } }`, {
    d: designId,
    i: {
      camera: { position: { x: 0.4, y: 1.55, z: 2.8 }, target: { x: 0, y: 1.05, z: 0 }, fov: 42 },
      lighting: { preset: 'RUNWAY', intensity: 1.2 },
      background: { type: 'GRADIENT', value: '#f5f1ea,#d8d2c4' },
      showGuides: true,
      snapToGrid: true,
      gridSize: 5,
      renderQuality: 'HIGH',
      ambientOcclusion: true,
    },
  });
  for (const role of ['EDITOR', 'COMMENTER', 'VIEWER']) await addCollaborator(url, owner, designId, (await makeUser('free')).id, role);
}

export async function seed(url: string, { addDesignsPerEditor }: { addDesignsPerEditor: number }): Promise<Seed> {
  const reader = await makeUser('enterprise');
  const [design30, design200] = await Promise.all([
    createDesign(url, reader, 'Bench 30 layers'),
    createDesign(url, reader, 'Bench 200 layers'),
  ]);
  const small = await Promise.all(Array.from({ length: 18 }, (_, i) => createDesign(url, reader, `Bench small ${i + 1}`)));
  const [layers30] = await Promise.all([
    addLayers(url, reader, design30, 30),
    addLayers(url, reader, design200, 200),
    ...small.map((id) => addLayers(url, reader, id, 2)),
  ]);
  await dressUp(url, reader, design30, layers30!);

  const editors = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const user = await makeUser('enterprise');
      const designId = await createDesign(url, user, `Bench editor ${i + 1}`);
      const [layerId] = await addLayers(url, user, designId, 5);
      return { user, designId, layerId: layerId! };
    }),
  );

  const sharedOwner = await makeUser('enterprise');
  const sharedDesign = await createDesign(url, sharedOwner, 'Bench shared');
  const sharedLayers = await addLayers(url, sharedOwner, sharedDesign, 16);
  const sharedEditors = [];
  for (const layerId of sharedLayers) {
    const user = await makeUser('free');
    await addCollaborator(url, sharedOwner, sharedDesign, user.id, 'EDITOR');
    sharedEditors.push({ user, layerId });
  }

  const addTargets = await Promise.all(
    editors.map(async ({ user }, i) => {
      const ids: string[] = [];
      for (let d = 0; d < addDesignsPerEditor; d++) ids.push(await createDesign(url, user, `Bench add ${i + 1}.${d + 1}`));
      return ids;
    }),
  );
  return { reader, design30, design200, editors, shared: { designId: sharedDesign, editors: sharedEditors }, addTargets };
}
