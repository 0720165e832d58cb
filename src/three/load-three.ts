/** The three namespace. Loaded as ESM so that it is the same instance the addons (exporters, loaders) import. */
export type Three = typeof import('three');

export async function loadThree(): Promise<Three> {
  return import('three');
}
