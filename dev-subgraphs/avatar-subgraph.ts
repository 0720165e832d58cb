import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AVATARS } from './seed-data';
import { serveSubgraph } from './serve-subgraph';

const typeDefs = readFileSync(join(__dirname, '..', '..', 'dev-subgraphs', 'avatar.graphql'), 'utf8');

const publicUrl = process.env.AVATAR_PUBLIC_URL ?? `http://127.0.0.1:${process.env.AVATAR_PORT ?? 4002}`;
const withModel = (avatar: (typeof AVATARS)[number]) => ({ ...avatar, modelUrl: `${publicUrl}/models/${avatar.id}.glb` });
const byId = (id: string) => AVATARS.find((a) => a.id === id);

void serveSubgraph('avatar', Number(process.env.AVATAR_PORT ?? 4002), typeDefs, {
  Query: {
    avatar: (_: unknown, { id }: { id: string }) => (byId(id) ? withModel(byId(id)!) : null),
    avatars: () => AVATARS.map(withModel),
  },
  Avatar: {
    __resolveReference: ({ id }: { id: string }) => (byId(id) ? withModel(byId(id)!) : null),
  },
});
