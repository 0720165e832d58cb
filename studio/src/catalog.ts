import type { Gateway } from './gateway.js';
import { CATALOG } from './operations.js';
import type { CatalogItemView } from './types.js';

export interface CatalogEntry extends CatalogItemView {
  available: boolean;
  compatibleBodyTypes: string[];
}

const loaded = new WeakMap<Gateway, Promise<CatalogEntry[]>>();

/** The catalog, read once per sign-in (the browser and the layer panel's materials share it). */
export function loadCatalog(gateway: Gateway): Promise<CatalogEntry[]> {
  let catalog = loaded.get(gateway);
  if (!catalog) {
    catalog = gateway.request<{ catalogItems: CatalogEntry[] }>(CATALOG).then((data) => data.catalogItems);
    loaded.set(gateway, catalog);
  }
  return catalog;
}
