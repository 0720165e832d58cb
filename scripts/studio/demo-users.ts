import { DEMO_USER_ID, OTHER_USER_ID } from '../../dev-subgraphs/seed-data';

/**
 * The people the studio's sign-in offers (development only). The one list to extend when the dev
 * stack gains demo users: the studio server mints tokens for these ids and no others.
 */
export const STUDIO_DEMO_USERS: { id: string; name: string }[] = [
  { id: DEMO_USER_ID, name: 'Dana (demo owner)' },
  { id: OTHER_USER_ID, name: 'Omar (second demo user)' },
];
