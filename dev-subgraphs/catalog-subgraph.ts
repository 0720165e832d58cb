import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, hasModel } from './seed-data';
import { serveSubgraph } from './serve-subgraph';

const typeDefs = readFileSync(join(__dirname, '..', '..', 'dev-subgraphs', 'catalog.graphql'), 'utf8');

const publicUrl = process.env.CATALOG_PUBLIC_URL ?? `http://127.0.0.1:${process.env.CATALOG_PORT ?? 4003}`;
const present = (item: (typeof CATALOG)[number]) => ({
  ...item,
  modelUrl: hasModel(item) ? `${publicUrl}/models/${item.id}.glb` : null,
  textureUrl: hasModel(item) ? null : `${publicUrl}/textures/${item.id}.png`,
});
const byId = (id: string) => CATALOG.find((i) => i.id === id);

void serveSubgraph('catalog', Number(process.env.CATALOG_PORT ?? 4003), typeDefs, {
  Query: {
    catalogItem: (_: unknown, { id }: { id: string }) => (byId(id) ? present(byId(id)!) : null),
    catalogItems: (_: unknown, { type }: { type?: string }) => CATALOG.filter((i) => !type || i.type === type).map(present),
  },
  CatalogItem: {
    __resolveReference: ({ id }: { id: string }) => (byId(id) ? present(byId(id)!) : null),
  },
});
