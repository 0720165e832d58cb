import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedUser, USERS } from './seed-data';
import { serveSubgraph } from './serve-subgraph';

const typeDefs = readFileSync(join(__dirname, '..', '..', 'dev-subgraphs', 'users.graphql'), 'utf8');

/** The users team's service as the design subgraph needs it: names and e-mail addresses by id. */
void serveSubgraph('users', Number(process.env.USERS_PORT ?? 4004), typeDefs, {
  Query: {
    user: (_: unknown, { id }: { id: string }) => seedUser(id),
    users: () => USERS,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => seedUser(id),
  },
});
