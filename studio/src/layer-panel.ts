import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { loadCatalog, type CatalogEntry } from './catalog.js';
import { GROUP_LAYERS, REMOVE_LAYER, REORDER_LAYERS, UNGROUP_LAYERS, UPDATE_LAYER } from './operations.js';
import type { BlendMode } from './scene-api.js';
import type { DesignView, LayerView } from './types.js';

const BLEND_MODES: BlendMode[] = ['NORMAL', 'MULTIPLY', 'SCREEN', 'OVERLAY', 'ADD'];
type LayerResult = { updateLayer: Parameters<DesignStore['applyLayerResult']>[0] };

/**
 * The stack, top layer first as image editors show it: drag a row to reorder; visibility, lock,
 * opacity, colour and blend mode per layer; tick layers to group them. A locked layer offers only
 * its lock (the service refuses anything else with LAYER_LOCKED).
 */
export class LayerPanel {
  readonly element = h('section', { class: 'panel layers' });
  private readonly selected = new Set<string>();
  private dragged: string | null = null;
  /** Colours of the other people who hold each layer selected (presence). */
  private others = new Map<string, string[]>();
  /** Told the selection when it changes (presence sends it). */
  onSelect: ((layerIds: string[]) => void) | null = null;
  /** FABRIC and PATTERN items: a layer's surface, chosen per layer. */
  private materials: CatalogEntry[] = [];

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
  ) {
    store.onChange((design) => this.render(design));
    this.render(store.design);
    void loadCatalog(gateway).then((items) => {
      this.materials = items.filter((item) => item.available && (item.type === 'FABRIC' || item.type === 'PATTERN'));
      this.render(this.store.design);
    });
  }

  private update(layer: LayerView, label: string, input: Record<string, unknown>): void {
    void this.store.change(
      `${label} of ${layerName(layer)}`,
      (rev) => this.gateway.request<LayerResult>(UPDATE_LAYER, { id: layer.id, input, rev }),
      (result) => this.store.applyLayerResult(result.updateLayer),
    );
  }

  private reorder(draggedId: string, targetId: string): void {
    const ids = this.store.design.layers.map((l) => l.id);
    const from = ids.indexOf(draggedId);
    const to = ids.indexOf(targetId);
    if (from < 0 || to < 0 || from === to) return;
    ids.splice(from, 1);
    ids.splice(to, 0, draggedId);
    void this.store.change(
      'Reorder layers',
      (rev) => this.gateway.request<{ reorderLayers: DesignView }>(REORDER_LAYERS, { designId: this.store.id, layerIds: ids, rev }),
      (result) => this.store.applyDesignResult(result.reorderLayers),
    );
  }

  private row(layer: LayerView, design: DesignView): HTMLElement {
    const editable = this.store.editable;
    const frozen = !editable || layer.locked;
    const group = design.layerGroups.find((g) => g.id === layer.group?.id);
    const row = h(
      'li',
      {
        class: `layer${layer.visible ? '' : ' hidden'}${layer.locked ? ' locked' : ''}`,
        'data-layer-id': layer.id,
        draggable: editable ? 'true' : null,
        onDragstart: (e: Event) => {
          this.dragged = layer.id;
          (e as DragEvent).dataTransfer?.setData('text/plain', layer.id);
        },
        onDragover: (e: Event) => e.preventDefault(),
        onDrop: (e: Event) => {
          e.preventDefault();
          if (this.dragged) this.reorder(this.dragged, layer.id);
          this.dragged = null;
        },
      },
      h(
        'div',
        { class: 'layer-title' },
        h('input', {
          type: 'checkbox',
          class: 'select',
          title: 'Select (to group)',
          checked: this.selected.has(layer.id),
          onChange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) this.selected.add(layer.id);
            else this.selected.delete(layer.id);
            this.onSelect?.([...this.selected]);
          },
        }),
        h('span', { class: 'handle', title: 'Drag to reorder' }, '::'),
        h('span', { class: 'name', title: layer.catalogItem.name }, layerName(layer)),
        h('span', { class: 'others' }, ...(this.others.get(layer.id) ?? []).map((color) => h('span', { style: `background:${color}` }))),
        group ? h('small', { class: 'group-name' }, group.name ?? 'group') : null,
        h(
          'button',
          {
            class: 'remove',
            title: 'Remove',
            disabled: frozen,
            onClick: () =>
              void this.store.change(
                `Remove ${layerName(layer)}`,
                (rev) => this.gateway.request<{ removeLayer: DesignView }>(REMOVE_LAYER, { id: layer.id, rev }),
                (result) => this.store.applyDesignResult(result.removeLayer),
              ),
          },
          '×',
        ),
      ),
      h(
        'div',
        { class: 'layer-controls' },
        h(
          'label',
          { title: 'Visible' },
          h('input', {
            type: 'checkbox',
            class: 'visible',
            checked: layer.visible,
            disabled: frozen,
            onChange: () => this.update(layer, layer.visible ? 'Hide' : 'Show', { visible: !layer.visible }),
          }),
          'visible',
        ),
        h(
          'label',
          { title: 'Locked layers refuse changes' },
          h('input', {
            type: 'checkbox',
            class: 'lock',
            checked: layer.locked,
            disabled: !editable,
            onChange: () => this.update(layer, layer.locked ? 'Unlock' : 'Lock', { locked: !layer.locked }),
          }),
          'locked',
        ),
        h('input', {
          type: 'color',
          class: 'color',
          title: 'Colour',
          value: layer.customization.color ?? layer.catalogItem.defaultColor ?? '#cccccc',
          disabled: frozen,
          onChange: (e: Event) => this.update(layer, 'Colour', { customization: { color: (e.target as HTMLInputElement).value } }),
        }),
        h(
          'select',
          {
            class: 'blend',
            title: 'Blend mode',
            disabled: frozen,
            onChange: (e: Event) => this.update(layer, 'Blend mode', { blendMode: (e.target as HTMLSelectElement).value }),
          },
          ...BLEND_MODES.map((mode) => h('option', { value: mode, selected: mode === layer.blendMode }, mode.toLowerCase())),
        ),
        layer.catalogItem.modelUrl
          ? h(
              'select',
              {
                class: 'material',
                title: 'Fabric or pattern',
                disabled: frozen,
                onChange: (e: Event) =>
                  this.update(layer, 'Material', { customization: { materialItemId: (e.target as HTMLSelectElement).value || null } }),
              },
              h('option', { value: '' }, 'plain'),
              ...this.materials.map((m) => h('option', { value: m.id, selected: m.id === layer.customization.material?.id }, m.name)),
            )
          : null,
        h('input', {
          type: 'range',
          class: 'opacity',
          min: 0,
          max: 100,
          value: String(layer.opacity),
          title: `Opacity ${layer.opacity}%`,
          disabled: frozen,
          onChange: (e: Event) => this.update(layer, 'Opacity', { opacity: Number((e.target as HTMLInputElement).value) }),
        }),
      ),
    );
    return row;
  }

  showOthers(selections: Map<string, string[]>): void {
    // Heartbeats repeat the same selections: drawing the panel again would interrupt a drag or a slider.
    const same = (a: Map<string, string[]>, b: Map<string, string[]>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
    if (same(selections, this.others)) return;
    this.others = selections;
    this.render(this.store.design);
  }

  private groupSelected(): void {
    const ids = [...this.selected].filter((id) => this.store.design.layers.some((l) => l.id === id));
    if (ids.length === 0) return;
    const name = prompt('Group name', 'Group') ?? null;
    this.selected.clear();
    this.onSelect?.([]);
    void this.store.change(
      'Group layers',
      (rev) => this.gateway.request(GROUP_LAYERS, { designId: this.store.id, layerIds: ids, name, rev }),
      () => void this.store.reload(),
    );
  }

  private render(design: DesignView): void {
    const editable = this.store.editable;
    const layers = [...design.layers].sort((a, b) => b.order - a.order);
    fill(
      this.element,
      h('h2', {}, `Layers (${layers.length})`),
      h('ol', { class: 'layer-list' }, ...layers.map((layer) => this.row(layer, design))),
      editable ? h('button', { class: 'group-selected', onClick: () => this.groupSelected() }, 'Group selected') : null,
      ...design.layerGroups.map((group) =>
        h(
          'div',
          { class: 'group' },
          `${group.name ?? 'Group'} (${group.layers.length})`,
          editable
            ? h(
                'button',
                {
                  class: 'ungroup',
                  onClick: () =>
                    void this.store.change(
                      `Ungroup ${group.name ?? ''}`,
                      (rev) => this.gateway.request<{ ungroupLayers: DesignView }>(UNGROUP_LAYERS, { groupId: group.id, rev }),
                      (result) => this.store.applyDesignResult(result.ungroupLayers),
                    ),
                },
                'Ungroup',
              )
            : null,
        ),
      ),
    );
  }
}

export const layerName = (layer: LayerView) => layer.name ?? layer.catalogItem.name;
