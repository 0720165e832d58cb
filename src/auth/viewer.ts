import type { Tier } from '../config';

/** Who is calling: a verified user, or nobody (anonymous reads of public designs only). */
export type Viewer = { userId: string; tier: Tier } | null;

export const TIERS: readonly Tier[] = ['free', 'pro', 'enterprise'];
