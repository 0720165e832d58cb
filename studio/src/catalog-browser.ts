import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { loadCatalog, type CatalogEntry } from './catalog.js';
import { ADD_LAYER } from './operations.js';
import type { DesignView } from './types.js';

type AddResult = { addLayer: Parameters<DesignStore['applyLayerResult']>[0] };

/**
 * The catalog (from the catalog subgraph, through the gateway) as the design's avatar may wear it:
 * available items made for every body or for the avatar's body type. A click adds the item on top.
 */
export class CatalogBrowser {
  readonly element = h('section', { class: 'panel catalog' });
  private items: CatalogEntry[] = [];
  private type = 'SILHOUETTE';

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
  ) {
    store.onChange((design) => this.render(design));
    void loadCatalog(gateway).then(
      (catalogItems) => {
        this.items = catalogItems;
        this.render(store.design);
      },
      (error: Error) => fill(this.element, h('h2', {}, 'Catalog'), h('p', { class: 'error' }, error.message)),
    );
  }

  private add(item: CatalogEntry): void {
    // A client id: a retry after a lost answer returns the same layer instead of adding a second.
    const input = { id: crypto.randomUUID(), catalogItemId: item.id };
    void this.store.change(
      `Add ${item.name}`,
      (rev) => this.gateway.request<AddResult>(ADD_LAYER, { designId: this.store.id, input, rev }),
      (result) => this.store.applyLayerResult(result.addLayer, true),
    );
  }

  private render(design: DesignView): void {
    const bodyType = design.avatar?.bodyType;
    const wearable = this.items.filter(
      (item) => item.available && (item.compatibleBodyTypes.length === 0 || (bodyType && item.compatibleBodyTypes.includes(bodyType))),
    );
    const types = [...new Set(this.items.map((item) => item.type))];
    fill(
      this.element,
      h('h2', {}, 'Catalog', bodyType ? h('small', {}, ` for ${bodyType}`) : null),
      h(
        'select',
        {
          class: 'catalog-type',
          onChange: (e: Event) => ((this.type = (e.target as HTMLSelectElement).value), this.render(this.store.design)),
        },
        ...types.map((type) => h('option', { value: type, selected: type === this.type }, type.toLowerCase())),
      ),
      h(
        'ul',
        { class: 'catalog-items' },
        ...wearable
          .filter((item) => item.type === this.type)
          .map((item) =>
            h(
              'li',
              {},
              h(
                'button',
                { class: 'catalog-item', 'data-item-id': item.id, disabled: !this.store.editable, onClick: () => this.add(item) },
                h('span', { class: 'swatch', style: `background:${item.defaultColor ?? '#ccc'}` }),
                item.name,
              ),
            ),
          ),
      ),
    );
  }
}
