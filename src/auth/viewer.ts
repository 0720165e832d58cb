import type { Tier } from '../domain/tier';

/** Who is calling: a verified user, or nobody (anonymous reads of public designs only). */
export type Viewer = { userId: string; tier: Tier } | null;
