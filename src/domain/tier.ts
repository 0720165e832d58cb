/** A user's plan, from their token: it sets the limits of the designs they own. */
export type Tier = 'free' | 'pro' | 'enterprise';

export const TIERS: readonly Tier[] = ['free', 'pro', 'enterprise'];
