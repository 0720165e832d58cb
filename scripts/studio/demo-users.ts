import { USERS } from '../../dev-subgraphs/seed-data';

/**
 * The people the studio's sign-in offers (development only): the development users subgraph's demo
 * users. The studio server mints tokens for these ids and no others.
 */
export const STUDIO_DEMO_USERS: { id: string; name: string }[] = USERS.map(({ id, name }) => ({ id, name }));
